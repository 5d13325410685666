// The customer's sentiment over a conversation, from a small word lexicon with negation and intensifiers. Pure and
// deliberately simple, behind one function: a shared scorer (the guardrails' confidence score needs one too) can
// replace it without touching the handoff package.
import type { SentimentReading } from '../../storage/index.ts'

const POSITIVE = new Set([
  'thanks', 'thank', 'great', 'good', 'perfect', 'love', 'excellent', 'happy', 'helpful', 'appreciate', 'awesome', 'nice', 'glad',
  'wonderful', 'fine', 'resolved', 'pleased', 'fantastic',
])
const NEGATIVE = new Set([
  'angry', 'annoyed', 'frustrated', 'frustrating', 'terrible', 'awful', 'horrible', 'worst', 'bad', 'useless', 'ridiculous',
  'unacceptable', 'disappointed', 'disappointing', 'upset', 'hate', 'broken', 'wrong', 'late', 'never', 'still', 'again',
  'waiting', 'scam', 'refund', 'complaint', 'furious', 'slow', 'damaged', 'missing', 'lost', 'rude', 'problem', 'issue',
])
const NEGATIONS = new Set(['not', "don't", 'dont', "isn't", 'isnt', "wasn't", 'no', "didn't", 'didnt', "can't", 'cant', 'never'])
const INTENSIFIERS = new Set(['very', 'really', 'so', 'extremely', 'totally', 'absolutely'])

/** -1 … 1 for one text; 0 when it carries no sentiment words. */
function scoreText(text: string): number {
  const words = text.toLowerCase().match(/[a-z']+/g) ?? []
  let sum = 0
  let hits = 0
  words.forEach((word, i) => {
    const polarity = POSITIVE.has(word) ? 1 : NEGATIVE.has(word) ? -1 : 0
    if (polarity === 0) return
    const before = words.slice(Math.max(0, i - 3), i)
    const negated = before.some((w) => NEGATIONS.has(w)) && word !== 'never'
    const weight = before.some((w) => INTENSIFIERS.has(w)) ? 1.5 : 1
    sum += (negated ? -polarity : polarity) * weight
    hits++
  })
  // Shouting reads as anger whatever the words: a mostly upper-case message or repeated '!'.
  const letters = text.replace(/[^A-Za-z]/g, '')
  if (letters.length >= 8 && letters === letters.toUpperCase()) sum -= 1
  if (/!{2,}/.test(text)) sum -= 0.5
  return hits === 0 && sum === 0 ? 0 : Math.max(-1, Math.min(1, sum / Math.max(1, hits)))
}

const labelOf = (score: number): SentimentReading['label'] => (score <= -0.25 ? 'negative' : score >= 0.25 ? 'positive' : 'neutral')

/**
 * The sentiment of the customer's messages, the latest weighing most, and where it is heading.
 * @example customerSentiment(['Where is my order?', 'This is ridiculous, still nothing!!']).label // 'negative'
 */
export function customerSentiment(texts: string[]): SentimentReading {
  const scores = texts.map(scoreText)
  if (scores.length === 0) return { score: 0, label: 'neutral', trend: 'steady' }
  let weighted = 0
  let weights = 0
  scores.forEach((s, i) => {
    const w = i + 1
    weighted += s * w
    weights += w
  })
  const score = Math.round((weighted / weights) * 100) / 100
  const half = Math.floor(scores.length / 2)
  const mean = (xs: number[]) => (xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length)
  const delta = scores.length < 2 ? 0 : mean(scores.slice(half)) - mean(scores.slice(0, half))
  const trend = delta <= -0.25 ? 'worsening' : delta >= 0.25 ? 'improving' : 'steady'
  return { score, label: labelOf(score), trend }
}
