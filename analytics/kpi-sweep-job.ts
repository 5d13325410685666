// The KPI sweep on every worker: every interval, judges the conversations whose facts changed or whose verdict a
// window ending may change, into their outcome rows. Several workers sweep at once safely: storage locks each
// conversation while one of them judges it, so each change is judged once.
// The sweep shares the worker's event loop and Postgres with the turns, and under sustained traffic there is always
// something to judge: it works in small batches and rests between them, so it takes at most `share` of the time and
// never holds the loop for long. It judges a change only once its conversation has been still for `settleMs`, so a
// conversation in the middle of a dialogue is judged once after it, not after every turn. A KPI read judges its
// tenant's backlog itself, settled or not, so a sweep that lags or waits costs no figure. Between sweeps, and with the
// sweep off, it folds the log of changes into marks every couple of seconds (storage's kpi-outcomes.ts), so the log
// stays short and a read has little left to fold.
import { judgeOutcomeRow, type KpiSettings } from '../kpis/index.ts'
import type { Clock } from '../lib/clock.ts'
import type { Logger } from '../lib/log.ts'
import type { OutcomeSweepOptions, Storage } from '../storage/index.ts'

// Conversations judged per transaction. A batch's facts are parsed and judged in one go on the event loop (500 held
// it for 80–155 ms), but each batch's claim scans the marks again (50 made a backlog of 20,000 take half as long
// again): 200 judged 20,000 as fast as 500, with about half the longest stall.
const BATCH_SIZE = 200

export interface KpiSweepDeps {
  storage: Pick<Storage, 'kpiOutcomes'>
  clock: Clock
  log: Logger
  settings: KpiSettings
  /** 0 turns the sweep off (reads still judge what they sum). */
  intervalMs: number
  /** The most of the time the sweep may spend judging (it rests between batches for the rest). @defaultValue 0.25 */
  share?: number
  /** How long a mark must be still before the sweep judges it (KPI_SETTLE_MS). @defaultValue 0 */
  settleMs?: number
  /**
   * How often the log of changes is folded into marks, between sweeps and with the sweep off too: the log then holds
   * this much of every tenant's traffic at most (a KPI read folds it first), and the marks one row per conversation.
   * 0 turns it off. @defaultValue 2000
   */
  foldMs?: number
}

/** One sweep at the clock's now; returns how many conversations it judged. */
export async function sweepKpiOutcomes(
  deps: Omit<KpiSweepDeps, 'intervalMs' | 'log' | 'share' | 'settleMs'>, options?: Omit<OutcomeSweepOptions, 'tenantId'>,
): Promise<number> {
  const now = deps.clock.now()
  return deps.storage.kpiOutcomes.sweep(new Date(now), (f) => judgeOutcomeRow(f, now, deps.settings), options)
}

export function startKpiSweepTimer(deps: KpiSweepDeps): { close(): Promise<void> } {
  const share = deps.share ?? 0.25
  let running: Promise<void> | undefined
  let closed = false
  let wake = () => {}
  // Rests in proportion to the batch just judged; closing cuts the rest short and ends the sweep.
  const rest = async (batchMs: number): Promise<boolean> => {
    if (closed) return false
    const rested = Promise.withResolvers<void>()
    const timer = setTimeout(rested.resolve, (batchMs * (1 - share)) / share)
    wake = rested.resolve
    await rested.promise
    clearTimeout(timer)
    return !closed
  }
  const timer = deps.intervalMs > 0 ? setInterval(() => {
    running ??= sweepKpiOutcomes(deps, { batchSize: BATCH_SIZE, between: rest, settleMs: deps.settleMs })
      .then((n) => { if (n > 0) deps.log.debug('KPI outcomes judged', { conversations: n }) })
      .catch((error) => deps.log.warn('KPI sweep failed', { error: String(error) }))
      .finally(() => { running = undefined })
  }, deps.intervalMs) : undefined
  let folding: Promise<void> | undefined
  // Said once until a fold succeeds again: through a database outage it would fail every couple of seconds.
  let foldFailing = false
  const foldMs = deps.foldMs ?? 2000
  const folder = foldMs > 0 ? setInterval(() => {
    folding ??= deps.storage.kpiOutcomes.fold()
      .then(() => { foldFailing = false })
      .catch((error) => {
        if (!foldFailing) deps.log.warn('KPI change log fold failed', { error: String(error) })
        foldFailing = true
      })
      .finally(() => { folding = undefined })
  }, foldMs) : undefined
  return {
    async close() {
      closed = true
      clearInterval(timer)
      clearInterval(folder)
      wake()
      await Promise.all([running, folding])
    },
  }
}
