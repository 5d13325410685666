// Measures the topic boundary on data it was not trained on: CLINC150's out-of-scope validation queries
// and its other-domain validation queries (should be out), the held-out Bitext split and the retail
// dialogues' customer messages (should be in). The model is trained on the Bitext training split only.
import { readFileSync } from 'node:fs'
import { trainIntentModel } from './classifier.ts'
import { loadUtterances, splitHeldOut } from './dataset.ts'
import { ambiguousClincIntents, conversationalClincIntents, checkTopicWith, loadClinc150, trainOutOfScopeModel, type TopicModels } from './out-of-scope.ts'
import { seedUtterances } from './seed-utterances.ts'

const dialoguesPath = new URL('../../data/retail/dialogues.jsonl', import.meta.url).pathname

export interface OutOfScopeEvaluation {
  /** Share of CLINC150 out-of-scope validation queries detected as out of scope (bar: ≥ 0.95). */
  oosValidationDetected: number
  /** Share of CLINC150 validation queries from other domains detected as out of scope. */
  otherDomainsDetected: number
  /** Share of held-out Bitext (in-scope retail) utterances rejected (bar: ≤ 0.02). */
  bitextHeldOutRejected: number
  /** Share of the retail dialogues' opening customer messages rejected. */
  dialogueOpeningsRejected: number
  sizes: { oosValidation: number; otherDomains: number; bitextHeldOut: number; dialogueOpenings: number }
  missedOutOfScope: string[]
  rejectedInScope: string[]
}

function dialogueOpenings(): string[] {
  return readFileSync(dialoguesPath, 'utf8').trim().split('\n')
    .map((line) => (JSON.parse(line) as { messages_display: string }).messages_display.split('\n')[0] ?? '')
    .map((first) => first.replace(/^user: /, ''))
}

export function evaluateOutOfScope(): OutOfScopeEvaluation {
  const clinc = loadClinc150()
  const { train, heldOut } = splitHeldOut(loadUtterances())
  const models: TopicModels = { outOfScope: trainOutOfScopeModel(train, clinc), intents: trainIntentModel([...train, ...seedUtterances()]) }
  const isOut = (text: string) => !checkTopicWith(models, text).inScope
  const oos = clinc.oos_val.map(([t]) => t)
  const other = clinc.val.filter(([, i]) => !conversationalClincIntents.has(i) && !ambiguousClincIntents.has(i)).map(([t]) => t)
  const bitext = heldOut.map((u) => u.text)
  const openings = dialogueOpenings()
  const share = (texts: string[], want: boolean) => texts.filter((t) => isOut(t) === want).length / texts.length
  return {
    oosValidationDetected: share(oos, true),
    otherDomainsDetected: share(other, true),
    bitextHeldOutRejected: share(bitext, true),
    dialogueOpeningsRejected: share(openings, true),
    sizes: { oosValidation: oos.length, otherDomains: other.length, bitextHeldOut: bitext.length, dialogueOpenings: openings.length },
    missedOutOfScope: oos.filter((t) => !isOut(t)),
    rejectedInScope: [...bitext, ...openings].filter(isOut),
  }
}
