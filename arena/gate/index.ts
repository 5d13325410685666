// The promotion gate: maturity goes up only when a named suite meets its thresholds and the KPI floors hold.

/**
 * Decides a promotion from the suite's latest run and the agent's KPIs.
 * @example
 * const verdict = decidePromotion({ from: 'assist', to: 'execute', thresholds, suite: report.configurations[0], kpis })
 */
export { decidePromotion, SuiteThresholds, type PromotionInput, type PromotionVerdict } from './promotion-gate.ts'
