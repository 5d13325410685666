// The knobs of the KPI definitions and of the cost model, with their defaults: kpis/ judges with them and
// lib/config-kpis.ts reads them from the environment.

export interface KpiSettings {
  /** A closed conversation with no reopening and no new contact on the same intent this long counts as resolved. @defaultValue 72 h */
  confirmWindowMs: number
  /** A resolution with no new contact at all this long is durable. @defaultValue 7 days */
  durableWindowMs: number
  /** An open conversation whose customer stays silent after a reply this long is abandoned. @defaultValue 24 h */
  abandonAfterMs: number
  /** CSAT at or above this confirms a resolution; at or below `lowCsat` it is a failure. @defaultValue 4 */
  positiveCsat: number
  /** @defaultValue 2 */
  lowCsat: number
  cost: CostRates
  /** Minutes a person would have spent writing one reply the AI wrote. @defaultValue 2 */
  minutesPerReply: number
}

export interface CostRates {
  /** USD per guardrail check (the in-process checks cost compute, not model spend). @defaultValue 0.0001 */
  guardrailCheckUsd: number
  /** USD per worker-second spent on a reply. @defaultValue 0.00003 (a 2-vCPU pod at about 0.1 USD an hour) */
  workerSecondUsd: number
  /** USD per GB stored for the retention period, apportioned by the bytes a conversation holds. @defaultValue 0.25 */
  gbStoredUsd: number
  /** USD per hour of a person's time (handoffs and QA reviews). @defaultValue 30 */
  humanHourUsd: number
  /** Minutes one QA review takes. @defaultValue 6 */
  qaReviewMinutes: number
}

export const DEFAULT_KPI_SETTINGS: KpiSettings = Object.freeze({
  confirmWindowMs: 72 * 3_600_000,
  durableWindowMs: 7 * 86_400_000,
  abandonAfterMs: 24 * 3_600_000,
  positiveCsat: 4,
  lowCsat: 2,
  minutesPerReply: 2,
  cost: Object.freeze({ guardrailCheckUsd: 0.0001, workerSecondUsd: 0.00003, gbStoredUsd: 0.25, humanHourUsd: 30, qaReviewMinutes: 6 }),
})
