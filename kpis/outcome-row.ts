// One conversation judged into the row storage keeps: what it is, its verdict and times, its share of every group's
// totals, and when the clock may next change the verdict. The sweep writes these; the KPI reads sum them.
import type { ConversationFacts } from '../lib/conversation-facts.ts'
import type { ConversationOutcomeRow } from '../lib/kpi-totals.ts'
import type { KpiSettings } from '../lib/kpi-settings.ts'
import { costOf } from './cost.ts'
import { judgeConversation, recheckAt } from './outcome.ts'
import { contributionOf } from './report.ts'

export function judgeOutcomeRow(f: ConversationFacts, now: number, s: KpiSettings): ConversationOutcomeRow {
  const o = judgeConversation(f, now, s)
  return {
    conversationId: f.id, agent: f.agent, channel: f.channel, intent: f.intent, mode: f.mode, createdAt: f.createdAt,
    firstCustomerAt: f.firstCustomerAt, firstResponseAt: f.firstResponseAt, closedAt: f.closedAt, resolvedAt: o.resolvedAt,
    outcome: o.outcome, confirmation: o.confirmation, handledBy: o.handledBy, durable: o.durable, csat: f.csat?.rating ?? null,
    timeToResolveS: o.timeToResolveS, firstResponseS: o.firstResponseS,
    totals: contributionOf(f, o, costOf(f, s.cost)),
    judgedAt: now, recheckAt: recheckAt(f, o, now, s),
  }
}
