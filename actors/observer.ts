// The seam through which actors report what happened, for metrics: implemented by lib/metrics.ts and
// passed in by the composition root, so actors never import prom-client. Every value here is a bounded label.
import type { GuardrailVerdict } from './protocol.ts'

export type TurnOutcome = 'replied' | 'escalated' | 'blocked' | 'failed'

export interface ModelCallReport {
  provider: string
  model: string
  inputTokens: number
  outputTokens: number
  cachedTokens: number
  costUsd: number
  /** `provider:model` entries that failed before the one that answered (the fallback path minus its end). */
  failedBefore: string[]
}

/** Implementations must never throw: a metric is never worth a failed turn. */
export interface RuntimeObserver {
  turnFinished(outcome: TurnOutcome, seconds: number): void
  modelCall(call: ModelCallReport): void
  /** A model call that failed outright; `code` is an `ErrorCode`. */
  modelFailed(code: string): void
  guardrailVerdict(stage: 'input' | 'output', check: string, verdict: GuardrailVerdict['verdict']): void
  /** `reason` is an error code (`agent.escalated`, `guardrail.escalated`, `provider.unavailable`, …). */
  escalation(reason: string): void
  /** A campaign's customers decided, `count` at once; `reason` is the skip reason, or `none`. */
  outreachDecided(outcome: 'send' | 'deferred' | 'skipped' | 'would_send', reason: string, count: number): void
  outreachSent(channel: string): void
  /** "stop" in a reply to a proactive message. */
  outreachOptedOut(channel: string): void
}

export const NOOP_OBSERVER: RuntimeObserver = {
  turnFinished: () => {},
  modelCall: () => {},
  modelFailed: () => {},
  guardrailVerdict: () => {},
  escalation: () => {},
  outreachDecided: () => {},
  outreachSent: () => {},
  outreachOptedOut: () => {},
}
