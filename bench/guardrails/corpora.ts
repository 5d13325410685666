// The shipped corpora the guardrail evaluations, benchmark and tests read: the injection corpus with its
// tuning / held-out split, the retail dialogues as turns, and the retail policy as passages. File I/O
// lives here so policy/ stays pure.
import { readFileSync } from 'node:fs'
import { loadUtterances, splitHeldOut } from '../../providers/local/index.ts'
import type { ContentChannel, GroundingContext } from '../../policy/index.ts'

const dataPath = (p: string) => new URL(`../../data/${p}`, import.meta.url).pathname

export interface LabelledText {
  text: string
  /** 1 = injection or jailbreak, 0 = ordinary. */
  label: 0 | 1
  category: string
  channel: ContentChannel
  source: string
}

export interface InjectionCorpus {
  tuning: LabelledText[]
  heldOut: LabelledText[]
}

/** 32-bit FNV-1a, the same split hash the intent model uses. */
function fnv1a(text: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0
  return h
}

/** Half of the labelled examples, chosen by hash of the text, are held out and never used for tuning. */
export const isHeldOut = (text: string) => fnv1a(text) % 2 === 0

export interface DialogueMessage {
  role: 'user' | 'assistant' | 'tool'
  text: string
}

/** The 69 retail dialogues, each as its messages in order (an assistant "None" is a tool call). */
export function loadDialogues(): DialogueMessage[][] {
  return readFileSync(dataPath('retail/dialogues.jsonl'), 'utf8').trim().split('\n').map((line) => {
    const display = (JSON.parse(line) as { messages_display: string }).messages_display
    return display.split(/\n(?=(?:user|assistant|tool): )/).map((chunk) => {
      const at = chunk.indexOf(': ')
      return { role: chunk.slice(0, at) as DialogueMessage['role'], text: chunk.slice(at + 2) }
    })
  })
}

/** The retail policy split into paragraphs: what a knowledge base would retrieve from it. */
export function loadPolicyPassages(): string[] {
  return readFileSync(dataPath('retail/policy.md'), 'utf8').split(/\n\s*\n/).map((p) => p.trim()).filter((p) => p.length > 20)
}

function ownExamples(): LabelledText[] {
  return readFileSync(dataPath('guardrails/injection-switchboard.jsonl'), 'utf8').trim().split('\n')
    .map((line) => ({ ...(JSON.parse(line) as Omit<LabelledText, 'source'>), source: 'switchboard' }))
}

function promptfooExamples(): LabelledText[] {
  const rows = JSON.parse(readFileSync(dataPath('guardrails/injection-promptfoo.json'), 'utf8')) as Array<{ text: string; category: string; source: string }>
  return rows.map((r) => ({ ...r, label: 1, channel: 'message' }))
}

/** Ordinary traffic as negatives: Bitext utterances, the dialogues' customer messages and tool results, policy passages. */
function ordinaryExamples(): { tuning: LabelledText[]; heldOut: LabelledText[] } {
  const bitext = splitHeldOut(loadUtterances())
  const asNegative = (source: string, channel: ContentChannel) => (text: string): LabelledText => ({ text, label: 0, category: 'ordinary', channel, source })
  const dialogue = loadDialogues().flat()
  const others = [
    ...dialogue.filter((m) => m.role === 'user').map((m) => asNegative('tau-bench:user', 'message')(m.text)),
    ...dialogue.filter((m) => m.role === 'tool').map((m) => asNegative('tau-bench:tool', 'tool')(m.text)),
    ...loadPolicyPassages().map(asNegative('tau2-bench:policy', 'passage')),
  ]
  return {
    tuning: [...bitext.train.map((u) => asNegative('bitext', 'message')(u.text)), ...others.filter((r) => !isHeldOut(r.text))],
    heldOut: [...bitext.heldOut.map((u) => asNegative('bitext', 'message')(u.text)), ...others.filter((r) => isHeldOut(r.text))],
  }
}

/** The injection corpus split in two: tune on `tuning`, report on `heldOut` (Bitext uses the intent model's split). */
export function loadInjectionCorpus(): InjectionCorpus {
  const labelled = [...promptfooExamples(), ...ownExamples()]
  const ordinary = ordinaryExamples()
  return {
    tuning: [...labelled.filter((r) => !isHeldOut(r.text)), ...ordinary.tuning],
    heldOut: [...labelled.filter((r) => isHeldOut(r.text)), ...ordinary.heldOut],
  }
}

/** One assistant reply of the dialogues with everything it could rely on when it was written. */
export interface GroundedReply {
  dialogue: number
  reply: string
  context: GroundingContext
  /** The customer's latest message before the reply. */
  customerMessage: string
  /** The customer's messages so far, oldest first. */
  customerMessages: string[]
}

/**
 * Every assistant reply of the 69 dialogues, with the tool results so far, the retail policy as passages,
 * the customer's messages, and the earlier replies (each is assumed to have passed the check).
 */
export function loadGroundedReplies(): GroundedReply[] {
  const passages = loadPolicyPassages()
  return loadDialogues().flatMap((messages, dialogue) => {
    const tools: string[] = []
    const customer: string[] = []
    const earlier: string[] = []
    const out: GroundedReply[] = []
    for (const m of messages) {
      if (m.role === 'tool') tools.push(m.text)
      else if (m.role === 'user') customer.push(m.text)
      else if (m.text !== 'None') {
        const context = { toolResults: [...tools], passages, customerMessages: [...customer], earlierReplies: [...earlier] }
        out.push({ dialogue, reply: m.text, context, customerMessage: customer[customer.length - 1] ?? '', customerMessages: [...customer] })
        earlier.push(m.text)
      }
    }
    return out
  })
}
