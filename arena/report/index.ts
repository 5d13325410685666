// The side-by-side report of an Arena run, as JSON, CSV and JUnit.

/**
 * Builds the report from a run and its trials.
 * @example
 * const report = buildReport(run, await storage.arenaRuns.trials(run.id))
 * await Bun.write('arena.xml', reportJunit(report))
 */
export { buildReport, type ArenaReport, type ConfigSummary, type ScenarioOutcome, type ScenarioRow } from './build-report.ts'
export { reportCsv, reportJunit } from './render.ts'
