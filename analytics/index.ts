// Scheduled analytics jobs that join storage and the pure KPI code: the daily QA sample and systemic-issue alerts.

/**
 * Draws one tenant's QA sample for a day, once.
 * @example await sampleDay({ storage, clock, log }, 'acme', '2026-06-09')
 */
export { sampleDay, startQaSamplingTimer, type QaSamplingDeps } from './qa-sampling-job.ts'
/** Systemic issues: spike detection over sliding windows, alerts stored, sent Alertmanager-compatible and resolved. */
export { COMPLAINT_TERMS, evaluateSystemicIssues, startSystemicIssuesTimer, type SystemicIssueDeps } from './systemic-issues.ts'
/**
 * Keeps each conversation's judged KPI row current on every worker, each change judged once.
 * @example const sweep = startKpiSweepTimer({ storage, clock, log, settings: config.kpis, intervalMs: 30_000 })
 */
export { startKpiSweepTimer, sweepKpiOutcomes, type KpiSweepDeps } from './kpi-sweep-job.ts'
/** The Prometheus KPI gauges' figures: per tenant, agent and maturity level, bounded. */
export { agentKpiFigures, type KpiGaugeDeps } from './kpi-gauges.ts'
