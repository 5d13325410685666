// One confidence score per reply from the turn's signals: intent confidence, grounding coverage, customer
// sentiment, loops and closeness to a policy limit. Below the agent's threshold the turn goes to a human,
// with the reason category that pulled the score down most. Pure.
import type { CheckResult } from '../../lib/guardrail-check.ts'

export type ConfidenceReason = 'low_intent_confidence' | 'unsupported_claim' | 'negative_sentiment' | 'conversation_loop' | 'near_policy_limit'

export interface ConfidenceSignals {
  /** The intent model's top probability, 0..1; omit when no intent applies (a mid-flow "yes"). */
  intentConfidence?: number
  /** From the grounding check: share of claims supported and how many were not. */
  grounding?: { coverage: number; unsupported: number }
  /** Customer sentiment, −1..1 (checkSentiment's `compound`). */
  sentiment?: number
  /** Loop score, 0..1 (checkLoop's `score`). */
  loop?: number
  /** Limits the turn came near: amount refunded against the cap, turns against the maximum, spend against a budget. */
  limits?: ReadonlyArray<{ name: string; used: number; limit: number }>
}

export interface ConfidenceSettings {
  /** Below this the reply is escalated (Execute) or becomes a draft (Assist). @defaultValue 0.6 */
  threshold?: number
}

export interface ConfidenceResult extends CheckResult {
  check: 'confidence'
  /** `score`: the confidence, 0..1 (higher is better). */
  category?: ConfidenceReason
  factors: Record<ConfidenceReason, number>
}

export const DEFAULT_CONFIDENCE_THRESHOLD = 0.6
// How much each signal can pull confidence down (1 = all the way to zero on its own).
const WEIGHTS: Record<ConfidenceReason, number> = {
  low_intent_confidence: 0.5, unsupported_claim: 1, negative_sentiment: 0.9, conversation_loop: 0.8, near_policy_limit: 0.6,
}
// Below half of a limit there is nothing to worry about; at the limit the signal is at its worst.
const LIMIT_SLACK = 0.5

function signalConfidence(s: ConfidenceSignals): Record<ConfidenceReason, number> {
  const g = s.grounding
  const nearest = Math.max(0, ...(s.limits ?? []).map((l) => (l.limit > 0 ? l.used / l.limit : 0)))
  return {
    low_intent_confidence: s.intentConfidence ?? 1,
    // Any unsupported claim is serious, however many supported ones surround it.
    unsupported_claim: g && g.unsupported > 0 ? Math.min(g.coverage, 0.4) : 1,
    negative_sentiment: s.sentiment !== undefined && s.sentiment < 0 ? 1 + s.sentiment : 1,
    conversation_loop: 1 - (s.loop ?? 0),
    near_policy_limit: 1 - Math.min(1, Math.max(0, (nearest - LIMIT_SLACK) / (1 - LIMIT_SLACK))),
  }
}

/**
 * Combines the signals: each factor is 1 − weight × (1 − signal confidence), and the confidence is their
 * product. Below the threshold the verdict is `escalate` and `category` names the weakest factor.
 * @example scoreConfidence({ sentiment: -0.8 }).category // 'negative_sentiment'
 */
export function scoreConfidence(signals: ConfidenceSignals, settings: ConfidenceSettings = {}): ConfidenceResult {
  const threshold = settings.threshold ?? DEFAULT_CONFIDENCE_THRESHOLD
  const raw = signalConfidence(signals)
  const factors = Object.fromEntries(
    (Object.keys(WEIGHTS) as ConfidenceReason[]).map((k) => [k, 1 - WEIGHTS[k] * (1 - raw[k])]),
  ) as Record<ConfidenceReason, number>
  const score = Object.values(factors).reduce((p, f) => p * f, 1)
  const weakest = (Object.keys(factors) as ConfidenceReason[]).reduce((a, b) => (factors[b] < factors[a] ? b : a))
  if (score >= threshold) return { check: 'confidence', verdict: 'allow', score, factors, reason: `confidence ${score.toFixed(2)}` }
  return {
    check: 'confidence', verdict: 'escalate', score, factors, category: weakest,
    reason: `confidence ${score.toFixed(2)} is below ${threshold}: ${weakest.replace(/_/g, ' ')}`,
  }
}
