// Loops: the customer asking the same thing again, saying so ("I already told you"), or the agent giving
// the same reply again. Word-set overlap over content words; pure.
import type { CheckResult } from '../../lib/guardrail-check.ts'

export interface LoopResult extends CheckResult {
  check: 'loop'
  /** `score`: loop strength 0..1. How many earlier customer messages the latest one repeats. */
  repeats: number
  agentRepeats: boolean
}

export interface LoopInput {
  /** The customer's messages, oldest first; the last one is this turn's. */
  customerMessages: readonly string[]
  /** The agent's replies so far, oldest first (with this turn's draft reply last, if checking output). */
  agentReplies?: readonly string[]
}

/** Loop score at or above which the conversation goes to a human. */
export const LOOP_THRESHOLD = 0.7
const SAME_QUESTION = 0.6
const SAME_REPLY = 0.85
const MIN_CONTENT_WORDS = 3
const STOPWORDS = new Set('a an the i me my you your to of and or is are was be it this that for in on at can could would please do does with have has just so'.split(' '))
const MARKERS = /\b(?:again|already (?:told|said|asked|gave)|as i (?:said|told you|mentioned)|how many times|repeat(?:ing)? myself|same question|(?:still|you keep) (?:asking|saying))\b/i

function contentWords(text: string): Set<string> {
  return new Set((text.toLowerCase().match(/[a-z0-9#']+/g) ?? []).filter((w) => !STOPWORDS.has(w)))
}

export function overlap(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 || b.size === 0) return 0
  let shared = 0
  for (const w of a) if (b.has(w)) shared++
  return shared / (a.size + b.size - shared)
}

function repeatsOf(latest: string | undefined, earlier: readonly string[], threshold: number): number {
  if (latest === undefined) return 0
  const words = contentWords(latest)
  if (words.size < MIN_CONTENT_WORDS) return 0
  return earlier.filter((e) => overlap(words, contentWords(e)) >= threshold).length
}

/**
 * Scores how much the conversation is going round in circles: 0.4 per repeated customer question, 0.5 when
 * the agent repeats a reply, 0.3 when the customer says they are repeating themselves.
 * @example checkLoop({ customerMessages: ['where is my order #W1234567', 'where is my order #W1234567??'] }).repeats // 1
 */
export function checkLoop({ customerMessages, agentReplies = [] }: LoopInput): LoopResult {
  const latest = customerMessages[customerMessages.length - 1]
  const repeats = repeatsOf(latest, customerMessages.slice(0, -1), SAME_QUESTION)
  const agentRepeats = repeatsOf(agentReplies[agentReplies.length - 1], agentReplies.slice(0, -1), SAME_REPLY) > 0
  const marker = latest !== undefined && MARKERS.test(latest)
  const score = Math.min(1, 0.4 * repeats + (agentRepeats ? 0.5 : 0) + (marker ? 0.3 : 0))
  const base = { check: 'loop' as const, score, repeats, agentRepeats }
  if (score < LOOP_THRESHOLD) return { ...base, verdict: 'allow', reason: score > 0 ? 'some repetition' : 'no repetition' }
  const what = [repeats > 0 ? `the customer repeated a question ${repeats} time(s)` : '', agentRepeats ? 'the agent repeated a reply' : '', marker ? 'the customer says they are repeating themselves' : '']
  return { ...base, verdict: 'escalate', reason: `the conversation is looping: ${what.filter(Boolean).join(', ')}` }
}
