// Judges one conversation: resolved only on confirmation (the customer says so, a positive CSAT, or no reopening and
// no new contact on the same intent within the window), abandoned apart, and the escalation-quality verdicts.
import type { ConversationFacts } from '../lib/conversation-facts.ts'
import { saysResolved } from './confirmation.ts'
import type { KpiSettings } from '../lib/kpi-settings.ts'

export type Outcome =
  /** Confirmed resolved. */
  | 'resolved'
  /** Closed, not yet confirmed, and the no-return window still running. */
  | 'pending'
  /** Closed, then contradicted: a low CSAT or a new contact on the same intent within the window. */
  | 'unresolved'
  /** The customer went silent after a reply that resolved nothing. */
  | 'abandoned'
  /** Still going, with the AI or a person. */
  | 'open'

export type Confirmation = 'customer' | 'csat' | 'no_return'
export type HandledBy = 'ai' | 'human' | 'handed_off'

export interface ConversationOutcome {
  outcome: Outcome
  confirmation: Confirmation | null
  handledBy: HandledBy
  resolvedAt: number | null
  reopened: boolean
  /** Resolved and no new contact for the durable window; null until that can be judged. */
  durable: boolean | null
  timeToResolveS: number | null
  firstResponseS: number | null
  /** Handed off and resolved by a person who took no action the AI could not take. Null when not handed off. */
  needless: boolean | null
  /** Handled by the AI alone, and reopened or rated low. */
  missed: boolean
  /** The person who took it rated as missing something the package did not admit to lacking. Null without a rating. */
  askedAgain: boolean | null
}

function handledBy(f: ConversationFacts): HandledBy {
  if (f.escalation) return 'handed_off'
  return f.humanReplies > 0 || f.mode === 'assist' ? 'human' : 'ai'
}

/** A confirmation or a contradiction of the latest close, or undefined while the window runs. */
function judgeClosed(f: ConversationFacts, closedAt: number, now: number, s: KpiSettings): Pick<ConversationOutcome, 'outcome' | 'confirmation' | 'resolvedAt'> {
  const low = f.csat !== null && f.csat.rating <= s.lowCsat
  if (low) return { outcome: 'unresolved', confirmation: null, resolvedAt: null }
  if (f.lastCustomerText && saysResolved(f.lastCustomerText) && (f.reopenedAt === null || (f.lastCustomerAt ?? 0) >= f.reopenedAt)) {
    return { outcome: 'resolved', confirmation: 'customer', resolvedAt: Math.min(f.lastCustomerAt ?? closedAt, closedAt) }
  }
  if (f.csat !== null && f.csat.rating >= s.positiveCsat) return { outcome: 'resolved', confirmation: 'csat', resolvedAt: closedAt }
  if (f.nextSameIntentAt !== null && f.nextSameIntentAt <= closedAt + s.confirmWindowMs) {
    return { outcome: 'unresolved', confirmation: null, resolvedAt: null }
  }
  if (now >= closedAt + s.confirmWindowMs) return { outcome: 'resolved', confirmation: 'no_return', resolvedAt: closedAt }
  return { outcome: 'pending', confirmation: null, resolvedAt: null }
}

function judgeOpen(f: ConversationFacts, now: number, s: KpiSettings): Pick<ConversationOutcome, 'outcome' | 'confirmation' | 'resolvedAt'> {
  if (f.lastCustomerText && f.lastCustomerAt !== null && saysResolved(f.lastCustomerText)) {
    return { outcome: 'resolved', confirmation: 'customer', resolvedAt: f.lastCustomerAt }
  }
  const withPerson = f.status === 'escalated' || (f.escalation !== null && !f.escalation.allResolved)
  const silentAfterReply = f.lastReplyAt !== null && (f.lastCustomerAt === null || f.lastReplyAt >= f.lastCustomerAt)
  if (!withPerson && silentAfterReply && now - f.lastReplyAt! >= s.abandonAfterMs) {
    return { outcome: 'abandoned', confirmation: null, resolvedAt: null }
  }
  return { outcome: 'open', confirmation: null, resolvedAt: null }
}

function durable(f: ConversationFacts, resolvedAt: number | null, now: number, s: KpiSettings): boolean | null {
  if (resolvedAt === null) return null
  const end = resolvedAt + s.durableWindowMs
  const back = (f.nextAnyAt !== null && f.nextAnyAt <= end) || (f.reopenedAt !== null && f.reopenedAt > resolvedAt && f.reopenedAt <= end)
  if (back) return false
  return now >= end ? true : null
}

const isClosed = (f: ConversationFacts) => f.status === 'closed' && f.closedAt !== null

export function judgeConversation(f: ConversationFacts, now: number, s: KpiSettings): ConversationOutcome {
  const closed = isClosed(f)
  const verdict = closed ? judgeClosed(f, f.closedAt!, now, s) : judgeOpen(f, now, s)
  const by = handledBy(f)
  const reopened = f.reopenedAt !== null
  const low = f.csat !== null && f.csat.rating <= s.lowCsat
  const start = f.firstCustomerAt ?? f.createdAt
  const e = f.escalation
  return {
    ...verdict,
    handledBy: by,
    reopened,
    durable: verdict.outcome === 'resolved' ? durable(f, verdict.resolvedAt, now, s) : null,
    timeToResolveS: verdict.resolvedAt === null ? null : Math.max(0, verdict.resolvedAt - start) / 1000,
    firstResponseS: f.firstResponseAt === null || f.firstCustomerAt === null ? null : (f.firstResponseAt - f.firstCustomerAt) / 1000,
    needless: e === null ? null : e.allResolved && e.actionsAfter === 0 && e.category !== 'customer_asked',
    missed: by === 'ai' && (f.closedAt !== null || reopened) && (reopened || low),
    askedAgain: e?.rating ? e.rating.missing.some((m) => !e.packageMissing.includes(m)) : null,
  }
}

/**
 * The next moment after `now` at which the clock alone may change this conversation's verdict: the ends of the windows
 * the judge above compares `now` with (confirmation when closed, abandonment when not, durability), or just after `now` while a handoff is
 * unresolved (its handling time, a cost, grows with the clock). Null once none is ahead: only new facts can change it.
 * Rejudging at a moment where nothing changes is harmless; missing one is not, so every window end counts.
 */
export function recheckAt(f: ConversationFacts, o: ConversationOutcome, now: number, s: KpiSettings): number | null {
  if (f.escalation && !f.escalation.allResolved) return now + 1
  const closed = isClosed(f)
  const ends = [
    closed ? f.closedAt! + s.confirmWindowMs : f.lastReplyAt === null ? null : f.lastReplyAt + s.abandonAfterMs,
    o.resolvedAt === null ? null : o.resolvedAt + s.durableWindowMs,
  ].filter((t): t is number => t !== null && t > now)
  return ends.length === 0 ? null : Math.min(...ends)
}
