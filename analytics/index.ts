// Scheduled analytics jobs that join storage and the pure KPI code: the daily QA sample.

/**
 * Draws one tenant's QA sample for a day, once.
 * @example await sampleDay({ storage, clock, log }, 'acme', '2026-06-09')
 */
export { sampleDay, startQaSamplingTimer, type QaSamplingDeps } from './qa-sampling-job.ts'
