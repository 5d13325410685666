// The KPI report of a set of conversations: counts, rates with their denominators, CSAT per handling, cost,
// escalation quality and times. Built by folding judged conversations into an accumulator, so one pass serves
// every group of a breakdown.
import type { ConversationCost } from './cost.ts'
import type { ConversationFacts } from '../lib/conversation-facts.ts'
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

function quantile(sorted: number[], q: number): number | null {
  if (sorted.length === 0) return null
  const pos = (sorted.length - 1) * q
  const lo = Math.floor(pos)
  const hi = Math.ceil(pos)
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo)
}

/** Running totals of one group; `report()` turns them into figures. */
export class KpiAccumulator {
  private n = { conversations: 0, resolved: 0, resolvedByAi: 0, pending: 0, unresolved: 0, abandoned: 0, open: 0, reopened: 0, escalated: 0 }
  private conf = { customer: 0, csat: 0, noReturn: 0 }
  private durableJudged = 0
  private durableYes = 0
  private csatBy: Record<HandledBy, { conversations: number; ratings: number; sum: number }> = {
    ai: { conversations: 0, ratings: 0, sum: 0 }, human: { conversations: 0, ratings: 0, sum: 0 }, handed_off: { conversations: 0, ratings: 0, sum: 0 },
  }
  private money = { modelUsd: 0, guardrailUsd: 0, infrastructureUsd: 0, humanUsd: 0 }
  private esc = { ratings: 0, hadWhatNeeded: 0, completenessN: 0, completenessSum: 0, needless: 0, needlessJudged: 0, missed: 0, aiClosed: 0, askedAgain: 0 }
  private ttr: number[] = []
  private frt: number[] = []
  private aiReplies = 0
  private qa = { reviews: 0, scoreSum: 0, pairs: 0, agree: 0 }

  add(f: ConversationFacts, o: ConversationOutcome, c: ConversationCost): void {
    const n = this.n
    n.conversations++
    n[o.outcome]++
    if (o.outcome === 'resolved') {
      if (o.handledBy === 'ai') n.resolvedByAi++
      this.conf[o.confirmation === 'no_return' ? 'noReturn' : o.confirmation!]++
    }
    if (o.reopened) n.reopened++
    if (o.durable !== null) { this.durableJudged++; if (o.durable) this.durableYes++ }
    const seg = this.csatBy[o.handledBy]
    seg.conversations++
    if (f.csat) { seg.ratings++; seg.sum += f.csat.rating }
    this.money.modelUsd += c.modelUsd
    this.money.guardrailUsd += c.guardrailUsd
    this.money.infrastructureUsd += c.infrastructureUsd
    this.money.humanUsd += c.humanUsd
    this.addEscalation(f, o)
    if (o.timeToResolveS !== null) this.ttr.push(o.timeToResolveS)
    if (o.firstResponseS !== null) this.frt.push(o.firstResponseS)
    this.aiReplies += f.aiReplies
    this.qa.reviews += f.qa.reviews
    this.qa.scoreSum += f.qa.scoreSum
    if (f.qa.reviews > 0 && f.minConfidence !== null) {
      this.qa.pairs++
      if ((f.minConfidence >= CALIBRATION_THRESHOLD) === (f.qa.scoreSum / f.qa.reviews >= CALIBRATION_THRESHOLD)) this.qa.agree++
    }
  }

  private addEscalation(f: ConversationFacts, o: ConversationOutcome): void {
    const e = this.esc
    if (f.escalation) {
      this.n.escalated++
      if (f.escalation.rating) { e.ratings++; if (f.escalation.rating.hadWhatNeeded) e.hadWhatNeeded++ }
      if (f.escalation.completeness !== null) { e.completenessN++; e.completenessSum += f.escalation.completeness }
    }
    if (o.needless !== null && f.escalation?.allResolved) { e.needlessJudged++; if (o.needless) e.needless++ }
    if (o.handledBy === 'ai' && f.closedAt !== null) { e.aiClosed++; if (o.missed) e.missed++ }
    if (o.askedAgain) e.askedAgain++
  }

  report(minutesPerReply: number): KpiReport {
    const n = this.n
    const decided = n.resolved + n.unresolved + n.abandoned
    const csatOf = (s: { conversations: number; ratings: number; sum: number }): CsatFigure =>
      ({ average: ratio(s.sum, s.ratings), ratings: s.ratings, responseRate: ratio(s.ratings, s.conversations) })
    const all = Object.values(this.csatBy).reduce((a, s) => ({ conversations: a.conversations + s.conversations, ratings: a.ratings + s.ratings, sum: a.sum + s.sum }),
      { conversations: 0, ratings: 0, sum: 0 })
    const m = this.money
    const total = m.modelUsd + m.guardrailUsd + m.infrastructureUsd + m.humanUsd
    const e = this.esc
    const ttr = [...this.ttr].sort((a, b) => a - b)
    const frt = [...this.frt].sort((a, b) => a - b)
    return {
      ...n, decided,
      resolutionRate: ratio(n.resolved, decided), aiResolutionRate: ratio(n.resolvedByAi, decided),
      abandonmentRate: ratio(n.abandoned, decided), escalationRate: ratio(n.escalated, n.conversations),
      confirmations: { ...this.conf },
      durable: { rate: ratio(this.durableYes, this.durableJudged), judged: this.durableJudged },
      csat: { ...csatOf(all), ai: csatOf(this.csatBy.ai), human: csatOf(this.csatBy.human), handedOff: csatOf(this.csatBy.handed_off) },
      cost: {
        modelUsd: round(m.modelUsd), guardrailUsd: round(m.guardrailUsd), infrastructureUsd: round(m.infrastructureUsd),
        humanUsd: round(m.humanUsd), totalUsd: round(total),
        perConversationUsd: n.conversations === 0 ? null : round(total / n.conversations),
        perResolutionUsd: n.resolved === 0 ? null : round(total / n.resolved),
      },
      escalation: {
        ratings: e.ratings, hadWhatNeededRate: ratio(e.hadWhatNeeded, e.ratings), completenessAverage: ratio(e.completenessSum, e.completenessN),
        needless: e.needless, needlessRate: ratio(e.needless, e.needlessJudged), missed: e.missed, missedRate: ratio(e.missed, e.aiClosed),
        askedAgain: e.askedAgain, askedAgainRate: ratio(e.askedAgain, e.ratings),
      },
      timeToResolve: { p50S: quantile(ttr, 0.5), p90S: quantile(ttr, 0.9) },
      firstResponse: { p50S: quantile(frt, 0.5), p90S: quantile(frt, 0.9) },
      humanTimeSaved: { aiReplies: this.aiReplies, minutes: this.aiReplies * minutesPerReply },
      qa: {
        reviews: this.qa.reviews, averageScore: ratio(this.qa.scoreSum, this.qa.reviews),
        calibration: { agreement: ratio(this.qa.agree, this.qa.pairs), pairs: this.qa.pairs },
      },
    }
  }
}
