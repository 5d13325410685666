// The KPI report of a set of conversations: counts, rates with their denominators, CSAT per handling, cost,
// escalation quality and times. Each judged conversation contributes its share of the totals (`contributionOf`);
// a group's totals are plain sums, folded here in memory or summed by storage in SQL, and `reportOf` turns them
// into figures either way.
import type { ConversationCost } from './cost.ts'
import type { ConversationFacts } from '../lib/conversation-facts.ts'
import { TOTAL_FIELDS, type KpiAggregate, type KpiTotals } from '../lib/kpi-totals.ts'
import type { ConversationOutcome, HandledBy } from './outcome.ts'

export interface CsatFigure {
  average: number | null
  ratings: number
  /** Ratings per conversation of the segment. */
  responseRate: number | null
}

export interface KpiReport {
  conversations: number
  resolved: number
  resolvedByAi: number
  pending: number
  unresolved: number
  abandoned: number
  open: number
  reopened: number
  /** Conversations with a verdict: resolved, unresolved or abandoned (pending and open ones wait). */
  decided: number
  /** resolved / decided. */
  resolutionRate: number | null
  /** Resolved with no person involved / decided. */
  aiResolutionRate: number | null
  abandonmentRate: number | null
  escalated: number
  escalationRate: number | null
  confirmations: { customer: number; csat: number; noReturn: number }
  durable: { rate: number | null; judged: number }
  csat: CsatFigure & { ai: CsatFigure; human: CsatFigure; handedOff: CsatFigure }
  cost: {
    modelUsd: number; guardrailUsd: number; infrastructureUsd: number; humanUsd: number; totalUsd: number
    perConversationUsd: number | null; perResolutionUsd: number | null
  }
  escalation: {
    ratings: number; hadWhatNeededRate: number | null; completenessAverage: number | null
    needless: number; needlessRate: number | null
    /** AI-only conversations that reopened or were rated low, over AI-only conversations that closed. */
    missed: number; missedRate: number | null
    askedAgain: number; askedAgainRate: number | null
  }
  timeToResolve: { p50S: number | null; p90S: number | null }
  firstResponse: { p50S: number | null; p90S: number | null }
  humanTimeSaved: { aiReplies: number; minutes: number }
  qa: {
    reviews: number; averageScore: number | null
    /** How often the automatic score (lowest intent confidence) and the reviewers' grade fall on the same side of 0.6. */
    calibration: { agreement: number | null; pairs: number }
  }
}

/** Both the automatic score and the reviewers' grade (0..1) call a conversation good at or above this. */
const CALIBRATION_THRESHOLD = 0.6

const ratio = (n: number, d: number) => (d === 0 ? null : n / d)
const round = (x: number) => Math.round(x * 1e6) / 1e6
const one = (b: boolean) => (b ? 1 : 0)

function quantile(sorted: number[], q: number): number | null {
  if (sorted.length === 0) return null
  const pos = (sorted.length - 1) * q
  const lo = Math.floor(pos)
  const hi = Math.ceil(pos)
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo)
}

const SEGMENT: Record<HandledBy, 'ai' | 'human' | 'handedOff'> = { ai: 'ai', human: 'human', handed_off: 'handedOff' }

/** One judged conversation's share of its groups' totals: counts of 0 or 1, and its sums. */
export function contributionOf(f: ConversationFacts, o: ConversationOutcome, c: ConversationCost): KpiTotals {
  const t = Object.fromEntries(TOTAL_FIELDS.map((k) => [k, 0])) as KpiTotals
  t[o.outcome] = 1
  if (o.outcome === 'resolved') {
    t.resolvedByAi = one(o.handledBy === 'ai')
    t[o.confirmation === 'no_return' ? 'confirmedNoReturn' : o.confirmation === 'csat' ? 'confirmedCsat' : 'confirmedCustomer'] = 1
  }
  t.reopened = one(o.reopened)
  t.durableJudged = one(o.durable !== null)
  t.durableYes = one(o.durable === true)
  const seg = SEGMENT[o.handledBy]
  t[`${seg}Conversations`] = 1
  if (f.csat) { t[`${seg}Ratings`] = 1; t[`${seg}RatingSum`] = f.csat.rating }
  t.modelUsd = c.modelUsd
  t.guardrailUsd = c.guardrailUsd
  t.infrastructureUsd = c.infrastructureUsd
  t.humanUsd = c.humanUsd
  const e = f.escalation
  if (e) {
    t.escalated = 1
    if (e.rating) { t.escRatings = 1; t.escHadWhatNeeded = one(e.rating.hadWhatNeeded) }
    if (e.completeness !== null) { t.escCompletenessN = 1; t.escCompletenessSum = e.completeness }
  }
  if (o.needless !== null && e?.allResolved) { t.needlessJudged = 1; t.needless = one(o.needless) }
  if (o.handledBy === 'ai' && f.closedAt !== null) { t.aiClosed = 1; t.missed = one(o.missed) }
  t.askedAgain = one(o.askedAgain === true)
  t.aiReplies = f.aiReplies
  t.qaReviews = f.qa.reviews
  t.qaScoreSum = f.qa.scoreSum
  if (f.qa.reviews > 0 && f.minConfidence !== null) {
    t.qaPairs = 1
    t.qaAgree = one((f.minConfidence >= CALIBRATION_THRESHOLD) === (f.qa.scoreSum / f.qa.reviews >= CALIBRATION_THRESHOLD))
  }
  return t
}

/** Running totals of one group in memory; `aggregate()` gives what storage's SQL sums give. */
export class KpiAccumulator {
  private conversations = 0
  private totals = Object.fromEntries(TOTAL_FIELDS.map((k) => [k, 0])) as KpiTotals
  private ttr: number[] = []
  private frt: number[] = []

  add(f: ConversationFacts, o: ConversationOutcome, c: ConversationCost): void {
    const share = contributionOf(f, o, c)
    this.conversations++
    for (const k of TOTAL_FIELDS) this.totals[k] += share[k]
    if (o.timeToResolveS !== null) this.ttr.push(o.timeToResolveS)
    if (o.firstResponseS !== null) this.frt.push(o.firstResponseS)
  }

  aggregate(): KpiAggregate {
    const ttr = [...this.ttr].sort((a, b) => a - b)
    const frt = [...this.frt].sort((a, b) => a - b)
    return {
      conversations: this.conversations, totals: { ...this.totals },
      timeToResolve: { p50S: quantile(ttr, 0.5), p90S: quantile(ttr, 0.9) },
      firstResponse: { p50S: quantile(frt, 0.5), p90S: quantile(frt, 0.9) },
    }
  }
}

/** The figures of a group from its totals. */
export function reportOf(a: KpiAggregate, minutesPerReply: number): KpiReport {
  const t = a.totals
  const n = a.conversations
  const decided = t.resolved + t.unresolved + t.abandoned
  const csatOf = (conversations: number, ratings: number, sum: number): CsatFigure =>
    ({ average: ratio(sum, ratings), ratings, responseRate: ratio(ratings, conversations) })
  const total = t.modelUsd + t.guardrailUsd + t.infrastructureUsd + t.humanUsd
  return {
    conversations: n, resolved: t.resolved, resolvedByAi: t.resolvedByAi, pending: t.pending, unresolved: t.unresolved,
    abandoned: t.abandoned, open: t.open, reopened: t.reopened, escalated: t.escalated, decided,
    resolutionRate: ratio(t.resolved, decided), aiResolutionRate: ratio(t.resolvedByAi, decided),
    abandonmentRate: ratio(t.abandoned, decided), escalationRate: ratio(t.escalated, n),
    confirmations: { customer: t.confirmedCustomer, csat: t.confirmedCsat, noReturn: t.confirmedNoReturn },
    durable: { rate: ratio(t.durableYes, t.durableJudged), judged: t.durableJudged },
    csat: {
      ...csatOf(n, t.aiRatings + t.humanRatings + t.handedOffRatings, t.aiRatingSum + t.humanRatingSum + t.handedOffRatingSum),
      ai: csatOf(t.aiConversations, t.aiRatings, t.aiRatingSum), human: csatOf(t.humanConversations, t.humanRatings, t.humanRatingSum),
      handedOff: csatOf(t.handedOffConversations, t.handedOffRatings, t.handedOffRatingSum),
    },
    cost: {
      modelUsd: round(t.modelUsd), guardrailUsd: round(t.guardrailUsd), infrastructureUsd: round(t.infrastructureUsd),
      humanUsd: round(t.humanUsd), totalUsd: round(total),
      perConversationUsd: n === 0 ? null : round(total / n), perResolutionUsd: t.resolved === 0 ? null : round(total / t.resolved),
    },
    escalation: {
      ratings: t.escRatings, hadWhatNeededRate: ratio(t.escHadWhatNeeded, t.escRatings), completenessAverage: ratio(t.escCompletenessSum, t.escCompletenessN),
      needless: t.needless, needlessRate: ratio(t.needless, t.needlessJudged), missed: t.missed, missedRate: ratio(t.missed, t.aiClosed),
      askedAgain: t.askedAgain, askedAgainRate: ratio(t.askedAgain, t.escRatings),
    },
    timeToResolve: { ...a.timeToResolve },
    firstResponse: { ...a.firstResponse },
    humanTimeSaved: { aiReplies: t.aiReplies, minutes: t.aiReplies * minutesPerReply },
    qa: {
      reviews: t.qaReviews, averageScore: ratio(t.qaScoreSum, t.qaReviews),
      calibration: { agreement: ratio(t.qaAgree, t.qaPairs), pairs: t.qaPairs },
    },
  }
}
