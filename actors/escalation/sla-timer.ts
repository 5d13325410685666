// The SLA clocks of handoffs, swept on a timer in every worker: a breached first-response or resolution target
// becomes one `sla.breached` event (stream and webhooks) and one count on the metric, and a customer still waiting
// gets an updated holding message once per queue interval. The clock is injected, so tests skip time.
import type { Clock } from '../../lib/clock.ts'
import type { Logger } from '../../lib/log.ts'
import type { SlaBreach, SlaKind, Storage } from '../../storage/index.ts'
import { sendHolding } from './holding.ts'

export interface SlaTimerDeps {
  storage: Pick<Storage, 'handoffSla' | 'handoffQueues' | 'events' | 'messages'>
  clock: Clock
  log: Logger
  /** Counted once per breach, by the sweep that marked it (the metric). */
  onBreach: (kind: SlaKind) => void
  /** How often to sweep; 0 sweeps only when asked. */
  intervalMs: number
}

export interface SweepReport {
  breaches: number
  holding: number
}

export interface SlaTimer {
  /** One sweep now (a sweep already running is awaited instead of overlapped). */
  sweep(): Promise<SweepReport>
  close(): Promise<void>
}

// The event is published before the breach is marked: publishing is once per event id, so a sweep that dies between
// the two leaves the next sweep to publish (a no-op) and mark it, and the event and the count each happen once.
async function reportBreaches(deps: SlaTimerDeps, now: Date): Promise<number> {
  const due = await deps.storage.handoffSla.dueBreaches(now)
  for (const b of due) await publishBreach(deps, b)
  let marked = 0
  for (const kind of ['first_response', 'resolution'] as const) {
    const ids = due.filter((b) => b.kind === kind).map((b) => b.escalationId)
    for (const _ of await deps.storage.handoffSla.markBreached(kind, ids, now)) {
      deps.onBreach(kind)
      marked++
    }
  }
  return marked
}

function publishBreach(deps: SlaTimerDeps, b: SlaBreach): Promise<unknown> {
  return deps.storage.events.publish({
    id: `${b.escalationId}.sla.${b.kind}`, type: 'sla.breached', conversationId: b.conversationId, at: deps.clock.now(),
    data: { escalationId: b.escalationId, kind: b.kind, queue: b.queueName, dueAt: b.dueAt.toISOString() },
  })
}

async function sendHoldingMessages(deps: SlaTimerDeps, now: Date): Promise<number> {
  const owed = await deps.storage.handoffSla.claimHolding(now)
  for (const h of owed) {
    const queue = await deps.storage.handoffQueues.get(h.tenantId, h.queueId)
    if (!queue) continue
    await sendHolding(deps.storage, deps.clock, { ...h, queue, overdue: h.breached }, h.count)
  }
  return owed.length
}

/**
 * @example const timer = startSlaTimer({ storage, clock, log, onBreach: metrics.observer.slaBreached, intervalMs: 5000 })
 */
export function startSlaTimer(deps: SlaTimerDeps): SlaTimer {
  let running: Promise<SweepReport> | undefined
  const sweep = () => {
    running ??= (async () => {
      const now = new Date(deps.clock.now())
      return { breaches: await reportBreaches(deps, now), holding: await sendHoldingMessages(deps, now) }
    })().finally(() => (running = undefined))
    return running
  }
  const tick = () => void sweep().catch((error: Error) => deps.log.warn('SLA sweep failed', { error }))
  const timer = deps.intervalMs > 0 ? setInterval(tick, deps.intervalMs) : undefined
  return {
    sweep,
    async close() {
      clearInterval(timer)
      await running?.catch(() => {})
    },
  }
}
