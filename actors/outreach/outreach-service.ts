// Outreach on a worker: the campaign runner (run jobs), the triggers (cron fires, order events, runs opened
// through the API) and a reconcile tick that keeps schedulers in step with the campaigns in force and queues
// whatever should be making progress (order and ticket events, cron schedulers, unfinished runs). Every step is idempotent, so every worker may tick.
import type { Clock } from '../../lib/clock.ts'
import type { Logger } from '../../lib/log.ts'
import type { Mailbox, PoolClient } from '../protocol.ts'
import type { Storage } from '../../storage/index.ts'
import { NOOP_OBSERVER, type RuntimeObserver } from '../observer.ts'
import { createCampaignRunner, type CampaignRunnerOptions, type RunOutcome } from './campaign-runner.ts'
import { createDeliverer } from './deliverer.ts'
import { createTriggers, type OutreachQueues } from './triggers.ts'

export interface OutreachServiceDeps {
  storage: Pick<Storage, 'outreach' | 'resources' | 'customers' | 'conversations'>
  mailbox: Mailbox
  pools: PoolClient
  queues: OutreachQueues
  clock: Clock
  log: Logger
  observer?: RuntimeObserver
}

export interface OutreachServiceOptions extends CampaignRunnerOptions {
  /** How often order events are read and runs and schedulers reconciled. @defaultValue 1000 */
  tickMs?: number
}

export interface OutreachService {
  /** The run job's handler. */
  run(runId: string, signal?: AbortSignal): Promise<RunOutcome>
  /** A cron scheduler fired. */
  fired(tenantId: string, campaign: string, fireMs: number): Promise<void>
  /** One reconcile pass (the timer runs it; tests call it to skip the wait). */
  tick(): Promise<void>
  close(): void
}

export function startOutreachService(deps: OutreachServiceDeps, options: OutreachServiceOptions = {}): OutreachService {
  const observer = deps.observer ?? NOOP_OBSERVER
  const deliverer = createDeliverer({ ...deps, observer })
  const runner = createCampaignRunner({ storage: deps.storage, deliverer, clock: deps.clock, log: deps.log, observer }, options)
  const triggers = createTriggers(deps)
  let ticking: Promise<void> | undefined
  const tick = () => {
    ticking ??= (async () => {
      while ((await triggers.dispatchOrderEvents()) > 0);
      while ((await triggers.dispatchTicketEvents()) > 0);
      await triggers.syncSchedules()
      await triggers.queueActive()
    })().finally(() => void (ticking = undefined))
    return ticking
  }
  const timer = setInterval(() => void tick().catch((error: Error) => deps.log.warn('outreach reconcile failed', { error })), options.tickMs ?? 1000)
  timer.unref()
  return {
    run: (runId, signal) => runner.run(runId, signal),
    fired: (tenantId, campaign, fireMs) => triggers.scheduled(tenantId, campaign, fireMs),
    tick,
    close: () => clearInterval(timer),
  }
}
