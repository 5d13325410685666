// Runs the trials of one run over the lanes: each lane claims the next pending trial in Postgres, plays it,
// grades it and records it. A run killed at any moment resumes with `resume: true`: claims of the dead runner
// go back to pending, finished trials stay finished. Stops claiming once the cost ceiling is reached.
import type { ArenaRuns, ArenaRunStatus, ArenaTrial } from '../../storage/index.ts'
import { conversing, listCustomer, scriptedCustomer, type ConversingCustomer } from '../customer/index.ts'
import { gradeTrial, unplayedTrial, type TrialResult } from '../grading/index.ts'
import { goldActions, type ArenaScenario } from '../scenarios/index.ts'
import type { ArenaLane } from './lane.ts'
import { parseRunSpec, expandTrials, pinPolicies, type PolicyVersionLookup, type RunSpec } from './run-spec.ts'

export interface RunProgress {
  total: number
  done: number
  spentUsd: number
}

export interface RunnerOptions {
  runs: ArenaRuns
  lanes: ArenaLane[]
  /** Claims are recorded under this name. */
  worker: string
  /** The customer of task scenarios. @defaultValue the scripted customer */
  customerFor?: (scenario: ArenaScenario & { kind: 'task' }, seed: number) => ConversingCustomer
  onProgress?: (progress: RunProgress) => void
  /** Asked before each claim: true stops claiming (the runner is stopping, or lost the run's lease). */
  shouldStop?: () => boolean
}

/** A fresh run id: time-ordered, so runs list in the order they were started. */
export const newRunId = (): string => `run_${Bun.randomUUIDv7().replaceAll('-', '').slice(-16)}`

/** Records a new run and its matrix of pending trials, with any pinned policy versions resolved through `policies`. */
export async function createRun(runs: ArenaRuns, input: {
  id: string; tenantId: string; spec: unknown; policies?: PolicyVersionLookup
  /** 'workers': a worker holding the run's lease plays it (runs started from the API). @defaultValue 'cli' */
  playedBy?: 'cli' | 'workers'
  startedBy?: string
}): Promise<RunSpec> {
  const spec = await pinPolicies(parseRunSpec(input.spec), input.policies)
  await runs.create({
    id: input.id, tenantId: input.tenantId, name: spec.name, suite: spec.suite, spec, costCeilingUsd: spec.costCeilingUsd, trials: expandTrials(spec),
    ...(input.playedBy ? { playedBy: input.playedBy } : {}), ...(input.startedBy ? { startedBy: input.startedBy } : {}),
  })
  return spec
}

/** Plays every pending trial of the run; returns how the run ended. */
export async function runTrials(runId: string, options: RunnerOptions & { resume?: boolean }): Promise<ArenaRunStatus> {
  const { runs } = options
  const run = await runs.get(runId)
  if (!run) throw new Error(`no arena run ${runId}`)
  const spec = parseRunSpec(run.spec)
  if (options.resume) await runs.releaseClaims(runId)
  const scenarios = new Map(spec.scenarios.map((s) => [s.id, s]))
  const configs = new Map(spec.configurations.map((c) => [c.name, c]))
  const golds = new Map<string, Promise<string>>()
  let ceilingHit = false
  const report = async () => options.onProgress?.(await runs.progress(runId))

  const laneLoop = async (lane: ArenaLane) => {
    for (;;) {
      if (spec.costCeilingUsd !== undefined && (await runs.progress(runId)).spentUsd >= spec.costCeilingUsd) {
        ceilingHit = true
        return
      }
      if (options.shouldStop?.()) return
      const trial = await runs.claim(runId, options.worker)
      if (!trial) return
      const scenario = scenarios.get(trial.scenario)!
      const result = await playTrial(lane, trial, scenario, configs.get(trial.config)!, golds, options)
      await runs.finish(runId, trial, options.worker, { success: result.success, costUsd: result.costUsd, conversationId: result.conversationId, result: result.result })
      await report()
    }
  }
  await report()
  await Promise.all(options.lanes.map(laneLoop))
  const { done, total } = await runs.progress(runId)
  const status: ArenaRunStatus = done === total ? 'done' : ceilingHit ? 'cost_ceiling' : 'running'
  if (status !== 'running') await runs.setStatus(runId, status)
  return status
}

async function playTrial(
  lane: ArenaLane, trial: ArenaTrial, scenario: ArenaScenario, config: RunSpec['configurations'][number],
  golds: Map<string, Promise<string>>, options: RunnerOptions,
): Promise<{ success: boolean; costUsd: number; conversationId: string; result: TrialResult }> {
  const customer = customerOf(scenario, trial.trial, options)
  try {
    // The gold state is the same on every lane (same seed), so each task's is computed once per run.
    let goldDigest: string | undefined
    if (scenario.kind === 'task') {
      if (!golds.has(scenario.id)) golds.set(scenario.id, lane.goldDigest(goldActions(scenario.task)))
      goldDigest = await golds.get(scenario.id)
    }
    const key = `${trial.runId}.${trial.config}.${trial.scenario}.${trial.trial}.${trial.attempts}`
    const played = await lane.converse({ key, trial: trial.trial, config, scenario, customer })
    const result = gradeTrial(scenario, { ...played, goldDigest })
    return { success: result.success, costUsd: result.costUsd, conversationId: played.conversationId, result }
  } catch (e) {
    // A trial the lane could not play to its end is a failed trial with its reason, never a silent gap.
    const result = unplayedTrial(e instanceof Error ? e.message : String(e))
    return { success: false, costUsd: 0, conversationId: '', result }
  }
}

function customerOf(scenario: ArenaScenario, seed: number, options: RunnerOptions): ConversingCustomer {
  if (scenario.kind !== 'task') return conversing(listCustomer(scenario.customer))
  return options.customerFor?.(scenario, seed) ?? conversing(scriptedCustomer(scenario.task, seed))
}
