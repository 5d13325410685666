// What the KPIs are computed from: one record per conversation, read from the warm tier by storage/ and judged by
// kpis/ (a contract both import). Timestamps are epoch milliseconds so the judging code needs no Date arithmetic.

/** The first escalation of a conversation and what the person who took it did and said. */
export interface EscalationFacts {
  count: number
  firstAt: number
  category: string | null
  /** Every escalation of the conversation was resolved by a person. */
  allResolved: boolean
  /** The automatic completeness score of the first handoff package (0..1). */
  completeness: number | null
  /** What the package itself listed as missing when it was built. */
  packageMissing: string[]
  /** The taker's rating of the first handoff; null until rated. */
  rating: { hadWhatNeeded: boolean; missing: string[] } | null
  /** Write tool calls made after the escalation opened: actions the AI did not take itself. */
  actionsAfter: number
  /** Seconds people spent on the handoffs, taken to resolved (still open ones up to the time of the report). */
  handlingS: number
}

export interface ConversationFacts {
  id: string
  agent: string
  channel: string
  customerId: string | null
  /** The first classified intent: the conversation's type. */
  intent: string | null
  /** The maturity level (assist, execute, operate) of its last turn. */
  mode: string | null
  segment: string | null
  /** The lowest intent confidence of its turns: the automatic score QA calibration compares with reviewers' grades. */
  minConfidence: number | null
  status: 'open' | 'escalated' | 'closed'
  createdAt: number
  /** The latest close; null while never closed. */
  closedAt: number | null
  /** The latest reopening; a reopening after `closedAt` means it is open again. */
  reopenedAt: number | null
  firstCustomerAt: number | null
  /** The first reply after the first customer message, by the AI or a person. */
  firstResponseAt: number | null
  lastCustomerAt: number | null
  lastCustomerText: string | null
  /** The last reply (AI or person). */
  lastReplyAt: number | null
  aiReplies: number
  humanReplies: number
  csat: { rating: number; at: number } | null
  escalation: EscalationFacts | null
  /** The same customer's next conversation on the same intent, and on any intent. */
  nextSameIntentAt: number | null
  nextAnyAt: number | null
  cost: {
    modelUsd: number
    guardrailChecks: number
    /** Seconds workers spent producing replies (a reply's time minus its customer message's). */
    workerS: number
    bytesStored: number
  }
  qa: { reviews: number; scoreSum: number }
}
