// The promotion gate: maturity goes up only when a named suite meets its thresholds and the KPI floors hold; it
// comes down by itself when the KPIs break a floor.

/**
 * Decides a promotion from the suite's latest run and the agent's (or the conversation type's) KPIs.
 * @example
 * const verdict = decidePromotion({ from: 'assist', to: 'execute', thresholds, suite: report.configurations[0], kpis })
 */
export { decidePromotion, SuiteThresholds, type PromotionInput, type PromotionVerdict } from './promotion-gate.ts'
/** KPI floors, and whether a level must come down one step. */
export { KpiFloors, FLOOR_DEFAULTS, readFloors, decideDemotion, levelBelow, type FloorReading, type DemotionVerdict } from './kpi-floors.ts'
/**
 * The periodic demotion check, run by every worker and deciding each demotion once.
 * @example
 * const timer = startDemotionTimer({ promotions, suites, kpis: kpisOfType, clock, log, intervalMs: 300_000 })
 */
export { checkDemotions, startDemotionTimer, policyInForce, DEMOTION_APPROVER, type DemotionCheckDeps, type TypeKpis } from './demotion-check.ts'
