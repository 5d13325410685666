// The customer's sentiment over a whole conversation, for the handoff package: each message scored by the
// guardrails' lexicon scorer (the one the confidence score uses), the latest weighing most, with where it is heading.
import { sentimentScore } from '../../policy/index.ts'
import type { SentimentReading } from '../../storage/index.ts'

const labelOf = (score: number): SentimentReading['label'] => (score <= -0.25 ? 'negative' : score >= 0.25 ? 'positive' : 'neutral')

/**
 * The sentiment of the customer's messages, the latest weighing most, and where it is heading.
 * @example customerSentiment(['Where is my order?', 'This is ridiculous, still nothing!!']).label // 'negative'
 */
export function customerSentiment(texts: string[]): SentimentReading {
  const scores = texts.map(sentimentScore)
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
