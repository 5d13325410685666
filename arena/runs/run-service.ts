// Runs started from the API, played by the workers: each worker with lanes takes the oldest unplayed run under a
// lease it renews, plays its pending trials and gives the lease back. A worker killed mid-run stops renewing; once
// the lease expires another worker takes the run and resumes it (the dead runner's claims go back to pending,
// finished trials stay finished). A runner that finds its lease lost stops claiming, so two never share a run.
import type { Logger } from '../../lib/log.ts'
import type { ArenaRun, ArenaRuns } from '../../storage/index.ts'
import type { ArenaLane } from './lane.ts'
import { runTrials, type RunnerOptions } from './runner.ts'
import { parseRunSpec, type RunSpec } from './run-spec.ts'

export interface ArenaRunnerDeps {
  runs: ArenaRuns
  /** This worker's name, recorded as the run's runner and each trial's claimant. */
  worker: string
  /** Lanes for one run (closed by the runner when the run stops). */
  lanes(runId: string): Promise<ArenaLane[]>
  /** The model-driven customer a run's spec asks for; undefined: the scripted one. */
  customers?(spec: RunSpec): RunnerOptions['customerFor']
  /** A run whose lease is not renewed this long is taken over by another worker. */
  leaseMs: number
  /** How often an idle runner looks for a run. @defaultValue 1000 */
  pollMs?: number
  log: Logger
}

export interface ArenaRunner {
  /** Stops taking runs; a run in play stops claiming, finishes its trials in flight and gives its lease back. */
  close(): Promise<void>
}

export function startArenaRunner(deps: ArenaRunnerDeps): ArenaRunner {
  let stopping = false
  let playing: Promise<void> | undefined
  const poll = async () => {
    const run = await deps.runs.claimRun(deps.worker, deps.leaseMs)
    if (run) await play(run)
  }
  const play = async (run: ArenaRun) => {
    let lost = false
    const renew = setInterval(() => {
      void deps.runs.renewRun(run.id, deps.worker, deps.leaseMs).then((held) => { lost ||= !held })
        .catch((error) => deps.log.warn('arena run lease renewal failed', { runId: run.id, error: String(error) }))
    }, Math.max(100, Math.floor(deps.leaseMs / 3)))
    const lanes = await deps.lanes(run.id).catch((error) => {
      clearInterval(renew)
      throw error
    })
    try {
      const customerFor = deps.customers?.(parseRunSpec(run.spec))
      const status = await runTrials(run.id, {
        runs: deps.runs, lanes, worker: deps.worker, resume: true, shouldStop: () => stopping || lost, ...(customerFor ? { customerFor } : {}),
      })
      deps.log.info('arena run played', { runId: run.id, status, lost })
    } finally {
      clearInterval(renew)
      await Promise.all(lanes.map((l) => l.close().catch(() => undefined)))
      if (!lost) await deps.runs.releaseRun(run.id, deps.worker)
    }
  }
  const timer = setInterval(() => {
    if (stopping) return
    playing ??= poll().catch((error) => deps.log.warn('arena run failed', { error: String(error) })).finally(() => { playing = undefined })
  }, deps.pollMs ?? 1000)
  return {
    async close() {
      stopping = true
      clearInterval(timer)
      await playing
    },
  }
}
