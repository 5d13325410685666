// Arena: scenarios replayed through configurations side by side, graded, with pass^k, before autonomy goes up.

/**
 * The τ²-bench task format and loader.
 * @example
 * const tasks = await loadRetailTasks()
 */
export {
  RetailTask, GoldAction, parseRetailTasks, loadRetailTasks, goldActions, requiredOutputs, DEFAULT_TASKS_PATH,
} from './scenarios/index.ts'

/**
 * The simulated customer: scripted (offline, seeded) or model-driven.
 * @example
 * const customer = scriptedCustomer(tasks[0]!, 1)
 */
export {
  scriptedCustomer, modelCustomer, conversing, MAX_CUSTOMER_TURNS, END_MARKER,
  type SimulatedCustomer, type ConversingCustomer, type ModelCustomerOptions,
} from './customer/index.ts'

/**
 * Runs: the run spec (configurations × scenarios × trials), the lane a platform provides, and the runner that
 * claims trials in Postgres (resumable after kill -9) under a cost ceiling.
 * @example
 * await createRun(storage.arenaRuns, { id, tenantId, spec })
 * await runTrials(id, { runs: storage.arenaRuns, lanes, worker: 'cli' })
 */
export { createRun, runTrials, type RunnerOptions, type RunProgress } from './runs/runner.ts'
export { progressBar } from './runs/progress-bar.ts'
export { RunSpec, ArenaConfiguration, parseRunSpec, expandTrials } from './runs/run-spec.ts'
export type { ArenaLane, LaneConversation } from './runs/lane.ts'
export { ArenaScenario, ScriptedScenario, RecordedScenario, Assertions, taskScenario } from './scenarios/index.ts'
export { listCustomer } from './customer/index.ts'
export { gradeTrial, unplayedTrial, type TrialResult } from './grading/index.ts'

/** pass^k (unbiased: C(c,k)/C(n,k) averaged over tasks) and the import of τ-bench / τ²-bench result files. */
export { passHatK, passHatKSeries, choose, maxK, type TrialOutcome } from './scores/pass-k.ts'
export { importTauResults, type ImportedResults } from './import/tau-results.ts'

/** Cassettes: provider responses recorded once and replayed offline, with a warning when a prompt changed. */
export { openCassette, startCassetteProxy, requestDigest, type Cassette, type CassetteProxy, type CassetteMode } from './cassettes/index.ts'

/** The side-by-side report (JSON, CSV, JUnit). */
export { buildReport, reportCsv, reportJunit, type ArenaReport, type ConfigSummary, type ScenarioRow } from './report/index.ts'
