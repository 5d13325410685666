// The KPI sweep on every worker: every interval, judges the conversations whose facts changed or whose verdict a
// window ending may change, into their outcome rows. Several workers sweep at once safely: storage locks each
// conversation while one of them judges it, so each change is judged once.
import { judgeOutcomeRow, type KpiSettings } from '../kpis/index.ts'
import type { Clock } from '../lib/clock.ts'
import type { Logger } from '../lib/log.ts'
import type { Storage } from '../storage/index.ts'

export interface KpiSweepDeps {
  storage: Pick<Storage, 'kpiOutcomes'>
  clock: Clock
  log: Logger
  settings: KpiSettings
  /** 0 turns the sweep off (reads still judge what they sum). */
  intervalMs: number
}

/** One sweep at the clock's now; returns how many conversations it judged. */
export async function sweepKpiOutcomes(deps: Omit<KpiSweepDeps, 'intervalMs' | 'log'>): Promise<number> {
  const now = deps.clock.now()
  return deps.storage.kpiOutcomes.sweep(new Date(now), (f) => judgeOutcomeRow(f, now, deps.settings))
}

export function startKpiSweepTimer(deps: KpiSweepDeps): { close(): Promise<void> } {
  let running: Promise<void> | undefined
  const timer = deps.intervalMs > 0 ? setInterval(() => {
    running ??= sweepKpiOutcomes(deps)
      .then((n) => { if (n > 0) deps.log.debug('KPI outcomes judged', { conversations: n }) })
      .catch((error) => deps.log.warn('KPI sweep failed', { error: String(error) }))
      .finally(() => { running = undefined })
  }, deps.intervalMs) : undefined
  return { async close() { clearInterval(timer); await running } }
}
