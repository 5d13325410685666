// Arena: scenarios replayed through configurations side by side, graded, with pass^k, before autonomy goes up.

/**
 * Scenarios: τ²-bench tasks (format and loader), hand-written scenarios with assertions, and recorded
 * conversations forked at a turn.
 * @example
 * const tasks = await loadRetailTasks()
 * const scenario = recordedScenario(recorded, { forkAt: 2 })
 */
export {
  RetailTask, GoldAction, parseRetailTasks, loadRetailTasks, goldActions, requiredOutputs, DEFAULT_TASKS_PATH,
  ArenaScenario, ScriptedScenario, RecordedScenario, RecordedToolResponse, Assertions, taskScenario, recordedScenario, type ForkOptions,
} from './scenarios/index.ts'

/**
 * The simulated customer: scripted (offline, seeded), model-driven, or a scenario's messages in order.
 * @example
 * const customer = scriptedCustomer(tasks[0]!, 1)
 */
export {
  scriptedCustomer, modelCustomer, conversing, listCustomer, MAX_CUSTOMER_TURNS, END_MARKER,
  type SimulatedCustomer, type ConversingCustomer, type ModelCustomerOptions,
} from './customer/index.ts'

/**
 * Runs: the run spec (configurations × scenarios × trials), the lane a platform provides, and the runner that
 * claims trials in Postgres (resumable after kill -9) under a cost ceiling.
 * @example
 * await createRun(storage.arenaRuns, { id, tenantId, spec })
 * await runTrials(id, { runs: storage.arenaRuns, lanes, worker: 'cli' })
 */
export { createRun, newRunId, runTrials, type RunnerOptions, type RunProgress } from './runs/runner.ts'
export { progressBar } from './runs/progress-bar.ts'
/** Runs started from the API, played by workers under a lease, resumed by another worker when one dies. */
export { startArenaRunner, type ArenaRunner, type ArenaRunnerDeps } from './runs/run-service.ts'
export { RunSpec, ArenaConfiguration, parseRunSpec, expandTrials, pinPolicies, storedPolicyVersions, type PolicyVersionLookup } from './runs/run-spec.ts'
export type { ArenaLane, LaneConversation } from './runs/lane.ts'

/** Grading of one trial from its evidence. */
export { gradeTrial, unplayedTrial, sameArgs, assertNlCompiles, compileNlAssertion, type NlCheck, type TrialResult } from './grading/index.ts'

/** pass^k (unbiased: C(c,k)/C(n,k) averaged over tasks) and the import of τ-bench / τ²-bench result files. */
export { passHatK, passHatKSeries, choose, maxK, type TrialOutcome } from './scores/pass-k.ts'
export { importTauResults, type ImportedResults } from './import/tau-results.ts'

/** Cassettes: provider responses recorded once and replayed offline, with a warning when a prompt changed. */
export { openCassette, startCassetteProxy, requestDigest, type Cassette, type CassetteProxy, type CassetteMode } from './cassettes/index.ts'

/** The side-by-side report (JSON, CSV, JUnit). */
export { buildReport, reportCsv, reportJunit, type ArenaReport, type ConfigSummary, type ScenarioRow } from './report/index.ts'

/** The promotion gate (suite thresholds and KPI floors), per agent or per conversation type, and automatic demotion. */
export {
  decidePromotion, SuiteThresholds, KpiFloors, FLOOR_DEFAULTS, readFloors, decideDemotion, checkDemotions, startDemotionTimer, policyInForce, DEMOTION_APPROVER,
  type PromotionVerdict, type DemotionCheckDeps, type TypeKpis,
} from './gate/index.ts'
