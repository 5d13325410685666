// The agent console's wiring: the page (built on first use), and in worker roles the SLA timer of handoffs.
// Part of the composition root: it may import every layer.
import { startSlaTimer, type SlaTimer } from './actors/index.ts'
import type { ConsoleOptions } from './api/index.ts'
import { loadConsole } from './console/index.ts'
import type { Clock } from './lib/clock.ts'
import type { Config } from './lib/config.ts'
import type { Logger } from './lib/log.ts'
import type { Metrics } from './lib/metrics.ts'
import type { Storage } from './storage/index.ts'

/** What the API needs to serve the console. */
export function consoleOptions(config: Config): ConsoleOptions {
  return { sessionTtlMs: config.console.sessionTtlMs, assets: loadConsole }
}

/** The SLA clocks, swept by every worker (each breach is still reported once). */
export function startConsoleTimers(deps: { config: Config; storage: Storage; clock: Clock; log: Logger; metrics: Metrics }): SlaTimer {
  return startSlaTimer({
    storage: deps.storage, clock: deps.clock, log: deps.log, onBreach: deps.metrics.observer.slaBreached,
    intervalMs: deps.config.console.slaSweepMs,
  })
}
