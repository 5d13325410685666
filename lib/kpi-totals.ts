// A KPI group's running totals, and one conversation's judged row (its share of them): the contract between kpis/,
// which judges and turns totals into figures, and storage/, which keeps one row per conversation and sums them in SQL.
// Every total is a plain sum of the rows' column of the same name (snake_case), so no KPI rule is written in SQL.

export const TOTAL_FIELDS = [
  'resolved', 'resolvedByAi', 'pending', 'unresolved', 'abandoned', 'open', 'reopened', 'escalated',
  'confirmedCustomer', 'confirmedCsat', 'confirmedNoReturn', 'durableJudged', 'durableYes',
  'aiConversations', 'aiRatings', 'aiRatingSum', 'humanConversations', 'humanRatings', 'humanRatingSum',
  'handedOffConversations', 'handedOffRatings', 'handedOffRatingSum',
  'modelUsd', 'guardrailUsd', 'infrastructureUsd', 'humanUsd',
  'escRatings', 'escHadWhatNeeded', 'escCompletenessN', 'escCompletenessSum', 'needless', 'needlessJudged', 'missed', 'aiClosed', 'askedAgain',
  'aiReplies', 'qaReviews', 'qaScoreSum', 'qaPairs', 'qaAgree',
] as const
export type TotalField = (typeof TOTAL_FIELDS)[number]

/** Sums over a group's conversations; for one conversation, counts are 0 or 1. */
export type KpiTotals = Record<TotalField, number>

/** A group's totals with its conversation count and the medians and 90th percentiles (linear interpolation). */
export interface KpiAggregate {
  conversations: number
  totals: KpiTotals
  timeToResolve: { p50S: number | null; p90S: number | null }
  firstResponse: { p50S: number | null; p90S: number | null }
}

/** What a breakdown groups by, each a column of the judged rows. */
export const DIMENSIONS = ['intent', 'mode', 'agent', 'channel'] as const
export type Dimension = (typeof DIMENSIONS)[number]

/** A group's value of each dimension asked for (null: not classified), and its period start (ISO) when by period. */
export type GroupKey = Partial<Record<Dimension, string | null>> & { period?: string }

/** A breakdown's totals, however they were summed (in memory by kpis/, or in SQL by storage). */
export interface AggregatedBreakdown {
  total: KpiAggregate
  groups: Array<{ key: GroupKey; aggregate: KpiAggregate }>
  /** Per period start (ISO), in any order; only when a period was asked for. */
  series?: Array<{ period: string; aggregate: KpiAggregate }>
}

/** The column a total is kept in: `resolvedByAi` → `resolved_by_ai`. */
export const totalColumn = (field: TotalField) => field.replace(/[A-Z]/g, (ch) => `_${ch.toLowerCase()}`)

/** One conversation as judged at `judgedAt`: what it is, its verdict, its times, and its share of the totals. */
export interface ConversationOutcomeRow {
  conversationId: string
  agent: string
  channel: string
  intent: string | null
  mode: string | null
  createdAt: number
  firstCustomerAt: number | null
  firstResponseAt: number | null
  closedAt: number | null
  resolvedAt: number | null
  outcome: string
  confirmation: string | null
  handledBy: string
  durable: boolean | null
  csat: number | null
  timeToResolveS: number | null
  firstResponseS: number | null
  totals: KpiTotals
  judgedAt: number
  /** The next moment the clock alone may change the verdict (a window ending); null once it cannot. */
  recheckAt: number | null
}
