// The knowledge a turn retrieved, recorded once as a turn step: the conversation actor writes it before the
// first model call, and the provider actor reads it by the turn's id (the job carries a reference, not text).
// The record holds what retrieval found; both read it through the same screening, so the model reads what the
// reply cites. A passage's verdict depends on its text alone, and a knowledge base's passages recur turn after turn,
// so each process screens a text once: the second actor of a turn, and every later turn that finds the passage, reads
// the verdict already reached.
import type { RecordedRetrieval } from '../storage/index.ts'
import { screenContext, type CheckRecord } from './conversation/guardrails.ts'

export const KNOWLEDGE_STEP = 'knowledge'

export interface TurnPassage {
  articleId: string
  passageId: string
  version: number
  title: string
  text: string
}

/** The passages the model may read, and the screening's check of each passage found. */
export interface TurnKnowledge {
  passages: TurnPassage[]
  checks: CheckRecord[]
}

/** The knowledge step as recorded: what retrieval found (a turn recorded before: the screened passages themselves). */
export type KnowledgeRecord = RecordedRetrieval | TurnKnowledge

// Verdicts kept per process; the oldest makes room (a few MB of passage text at most).
const SCREENED_PASSAGES_KEPT = 2000
const screenedPassages = new Map<string, ReturnType<typeof screenContext>>()

function screenPassage(text: string): ReturnType<typeof screenContext> {
  const known = screenedPassages.get(text)
  // The check is recorded with what it cost this turn: a lookup.
  if (known) return { allowed: known.allowed, check: { ...known.check, latencyMs: 0 } }
  const screened = screenContext(text, 'passage')
  if (screenedPassages.size >= SCREENED_PASSAGES_KEPT) screenedPassages.delete(screenedPassages.keys().next().value!)
  screenedPassages.set(text, screened)
  return screened
}

/** A passage carrying instructions aimed at the model is withheld from it. */
export function screenedKnowledge(record: KnowledgeRecord | undefined): TurnKnowledge {
  if (!record) return { passages: [], checks: [] }
  if (!('found' in record)) return record
  const knowledge: TurnKnowledge = { passages: [], checks: [] }
  for (const p of record.found) {
    const screened = screenPassage(p.text)
    knowledge.checks.push(screened.check)
    if (screened.allowed) knowledge.passages.push(p)
  }
  return knowledge
}

/** Passages as the model reads them: numbered by their ids, so a reply can cite what it relied on. */
export function knowledgeNote(passages: readonly TurnPassage[]): string {
  if (passages.length === 0) return ''
  const items = passages.map((p) => `[${p.articleId}#${p.passageId}] ${p.title}\n${p.text}`)
  return `\n\nKnowledge base passages for this turn (answer from these and the tools; say so when they do not cover the question):\n${items.join('\n\n')}`
}

/** A model asked again after its reply failed the output checks is told what it got wrong. */
export function revisionNote(revise: { draft: string; reason: string } | undefined): string {
  if (!revise) return ''
  return `\n\nYour previous draft was not sent to the customer because ${revise.reason}. Answer again using only facts from the tool results and passages; if they do not support an answer, say you will pass the question to a colleague.\nPrevious draft: ${JSON.stringify(revise.draft)}`
}
