// Support KPIs, judged honestly: what counts as a resolution, what a conversation cost, how good its escalation
// was, and the breakdowns by type, maturity level, agent, channel and period. Pure: storage reads the facts.

/**
 * The KPIs of a set of conversations, overall and by group and period.
 * @example computeKpis(await storage.kpiFacts.read(q), Date.now(), DEFAULT_KPI_SETTINGS, { groupBy: ['intent'], period: 'day' })
 */
export { computeKpis, DIMENSIONS, type BreakdownOptions, type Dimension, type KpiBreakdown, type KpiGroup, type KpiTrend } from './breakdown.ts'
/** The figures of a breakdown whose totals storage summed over the judged rows. */
export { breakdownOf } from './breakdown.ts'
/** A group's totals and one conversation's judged row (its share of them): what storage keeps and sums. */
export type { AggregatedBreakdown, ConversationOutcomeRow, KpiAggregate, KpiTotals } from '../lib/kpi-totals.ts'
/**
 * One conversation judged into the row the KPI sweep writes.
 * @example await storage.kpiOutcomes.sweep(new Date(now), (f) => judgeOutcomeRow(f, now, settings))
 */
export { judgeOutcomeRow } from './outcome-row.ts'
/** One conversation's verdict: resolved (and how confirmed), pending, unresolved, abandoned or open. */
export { judgeConversation, recheckAt, type ConversationOutcome, type Confirmation, type HandledBy, type Outcome } from './outcome.ts'
/** What one conversation cost: model, guardrails, infrastructure, people. */
export { costOf, type ConversationCost } from './cost.ts'
/** Whether a customer message confirms the problem is solved. */
export { saysResolved } from './confirmation.ts'
/** The record storage reads per conversation. */
export type { ConversationFacts, EscalationFacts } from '../lib/conversation-facts.ts'
/** UTC period buckets. */
export { PERIODS, periodStart, type Period } from './periods.ts'
/** The figures of one group. */
export { contributionOf, reportOf, type CsatFigure, type KpiReport } from './report.ts'
/** The definitions' windows and the cost model's rates. @defaultValue DEFAULT_KPI_SETTINGS */
export { DEFAULT_KPI_SETTINGS, type CostRates, type KpiSettings } from '../lib/kpi-settings.ts'
/** The daily QA sample: stratified by type and level, over-sampling low confidence and low CSAT. */
export { DEFAULT_QA_SAMPLING, sampleForQa, type QaCandidate, type QaSample, type QaSampleReason, type QaSamplingOptions } from './qa-sampling.ts'
/** Systemic issues: spikes of a cluster against its baseline, and which alerts to open, keep and resolve. */
export { clusterKey, DEFAULT_SPIKE_OPTIONS, detectSpikes, reconcileAlerts, type AlertChanges, type ClusterCounts, type ClusterKind, type Spike, type SpikeOptions } from './spikes.ts'
