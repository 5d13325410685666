// Virtual actors on BullMQ: a conversation is activated on the process that takes its activation, and passivated
// after it idles. Activation costs no Worker and no connection: the process's one doorbell (doorbell.ts) says which
// owned mailboxes have mail, and each actor's mail loop (mail-pump.ts) takes it over the shared connection.
// Ownership is a Redis lease; the number of active actors is capped, above which activations wait (backpressure)
// after evicting idle actors. This is the runtime's one hub: activation, passivation and eviction share the actor
// table and the slots, so they live together.
import { context, ROOT_CONTEXT } from '@opentelemetry/api'
import { Queue, Worker, type Job } from 'bullmq'
import type Redis from 'ioredis'
import type { ActorFactory } from '../actors/protocol.ts'
import type { Logger } from '../lib/log.ts'
import type { DeadLetter } from './dead-letter.ts'
import { listenDoorbell } from './doorbell.ts'
import type { Leases } from './lease.ts'
import { startLeaseKeeper } from './lease-keeper.ts'
import { ring, type MailPumpDeps, type PumpedActor } from './mail-pump.ts'
import type { MailboxSender } from './mailbox.ts'
import { createMailboxJobs } from './mailbox-jobs.ts'
import { names } from './names.ts'
import { createSlots } from './slots.ts'
import { requeueInFlight } from './takeover.ts'
import type { QueueTelemetry } from './telemetry.ts'

export interface ActorHostOptions {
  prefix: string
  /** This process's name in leases and on its doorbell. */
  ownerId: string
  /** @defaultValue 1000 */
  maxActive: number
  /** @defaultValue 30_000 */
  idleTimeoutMs: number
  /** @defaultValue 10_000 */
  leaseTtlMs: number
  /** @defaultValue 5 */
  turnAttempts: number
  /** How long a turn waits out an outage before its failures count as attempts. @defaultValue 60_000 */
  outageRetryMs: number
  /** Activations handled at once; each waits for a free slot when the host is full. @defaultValue 64 */
  activationConcurrency?: number
  /** Trace context across the mailbox hop (bullmq-otel); unset when tracing is off. */
  telemetry?: QueueTelemetry
}

interface ActiveActor extends PumpedActor {
  idleTimer?: ReturnType<typeof setTimeout>
  passivating?: Promise<void>
}

export interface ActorHostDeps {
  connection: Redis
  leases: Leases
  mailbox: MailboxSender
  deadLetter: DeadLetter
  factory: ActorFactory
  log: Logger
}

export interface ActorHost {
  /** Conversations active on this process right now. */
  activeCount(): number
  /** Sampled at metrics scrape: one Redis round trip per active actor, pipelined on the shared connection. */
  stats(): Promise<ActorHostStats>
  /** Stops taking mail, lets in-flight turns finish within `graceMs`, hands the rest back. */
  close(graceMs: number): Promise<void>
}

export interface ActorHostStats {
  activeActors: number
  /** Mail waiting (not yet being handled) in the mailboxes of this process's active actors. */
  mailboxBacklog: number
  /** Activation requests no worker has taken yet (queue-wide): conversations held back by backpressure. */
  pendingActivations: number
}

export function createActorHost(options: ActorHostOptions, deps: ActorHostDeps): ActorHost {
  const { connection, leases, log } = deps
  const actors = new Map<string, ActiveActor>() // iteration order = least recently used first
  // Leased but still loading: renewed like the active ones, since a state load can outlast a lease under load.
  const loading = new Set<string>()
  const slots = createSlots(options.maxActive)
  const headroomAt = options.maxActive - Math.max(1, Math.floor(options.maxActive * 0.05))
  const jobs = createMailboxJobs(connection, {
    prefix: options.prefix, token: `${options.ownerId}:${crypto.randomUUID()}`, cacheSize: options.maxActive * 2, telemetry: options.telemetry,
  })
  let activating = 0
  let closing = false

  const owns = (a: PumpedActor) => !closing && actors.get(a.id) === a && !(a as ActiveActor).passivating
  const pumpDeps: MailPumpDeps = {
    jobs, attempts: options.turnAttempts, outageRetryMs: options.outageRetryMs, deadLetter: deps.deadLetter, log, owns,
    busyChanged: (a) => (a.busy ? clearTimeout((a as ActiveActor).idleTimer) : touch(a as ActiveActor)),
    // Under backpressure an actor gives up its slot as soon as its mailbox is empty, not after the idle timeout.
    drained: (a) => {
      if (slots.waiting() > 0) void passivate(a as ActiveActor, 'evicted')
    },
  }
  // Each mail loop starts outside the trace of whatever rang it: each turn's trace continues its sender's.
  const ringActor = (a: ActiveActor) => context.with(ROOT_CONTEXT, () => ring(a, pumpDeps))

  const touch = (a: ActiveActor) => {
    if (a.passivating) return
    actors.delete(a.id)
    actors.set(a.id, a)
    clearTimeout(a.idleTimer)
    a.idleTimer = setTimeout(() => void passivate(a, 'idle'), options.idleTimeoutMs)
  }

  async function passivate(a: ActiveActor, reason: string): Promise<void> {
    if (a.passivating) return a.passivating
    a.passivating = (async () => {
      clearTimeout(a.idleTimer)
      await a.pump // a turn in flight finishes first (or, when the lease was lost, gives its message back)
      actors.delete(a.id)
      if (reason !== 'lease-lost') await leases.release(a.id).catch((e: Error) => log.warn('lease release failed', { error: e }))
      // Mail that arrived while passivating is handed back through a fresh activation (see mailbox.send).
      const backlog = await jobs.waiting([a.id]).catch(() => 1)
      slots.release()
      if (backlog > 0) await deps.mailbox.wake(a.id, 'handback').catch((e: Error) => log.error('hand-back failed', { error: e }))
      log.debug('actor passivated', { conversationId: a.id, reason, backlog })
    })()
    return a.passivating
  }

  function keepHeadroom(): void {
    // Only while activations come in bursts. Evicting ahead of need otherwise turns a working set just under the
    // cap into a cycle of cold activations, each evicting the actor the next message is for.
    if (activating <= 1 && slots.waiting() === 0) return
    let live = 0
    for (const a of actors.values()) if (!a.passivating) live++
    while (live-- >= headroomAt && evictIdle()) {}
  }

  function evictIdle(): boolean {
    for (const a of actors.values()) {
      if (a.drained && !a.busy && !a.pumping && !a.passivating) {
        void passivate(a, 'evicted')
        return true
      }
    }
    return false
  }

  async function activate(conversationId: string): Promise<string> {
    const local = actors.get(conversationId)
    if (local) {
      await leases.clearWake(conversationId)
      ringActor(local)
      return 'local'
    }
    const acquired = !closing && (await slots.acquire(evictIdle).then(() => true, () => false))
    if (!acquired) {
      await deps.mailbox.wake(conversationId, 'handback')
      return 'handed-back'
    }
    if (closing || actors.has(conversationId) || !(await leases.acquire(conversationId))) {
      slots.release()
      return 'owned'
    }
    loading.add(conversationId)
    try {
      const [requeued, instance] = await Promise.all([
        requeueInFlight(connection, options.prefix, names.mailbox(conversationId)),
        deps.factory(conversationId),
      ])
      if (requeued > 0) log.info('took over in-flight mail of a previous owner', { conversationId, requeued })
      const a: ActiveActor = { id: conversationId, instance, rung: false, busy: false, drained: false }
      actors.set(conversationId, a)
      touch(a)
      ringActor(a)
      // Keep a little headroom, so the next activation finds a free slot instead of waiting for an eviction.
      keepHeadroom()
      return 'activated'
    } catch (e) {
      await leases.release(conversationId)
      slots.release()
      throw e
    } finally {
      loading.delete(conversationId)
    }
  }

  const activationWorker = new Worker(names.activations, async (job: Job) => {
    activating++
    try {
      return await activate(job.data.conversationId)
    } finally {
      activating--
    }
  }, {
    connection,
    prefix: options.prefix,
    concurrency: options.activationConcurrency ?? 64,
    skipVersionCheck: true,
    telemetry: options.telemetry,
    // An activation in flight on a worker that dies is retried elsewhere within about one lease TTL.
    lockDuration: options.leaseTtlMs,
    stalledInterval: Math.max(250, Math.floor(options.leaseTtlMs / 4)),
    maxStalledCount: 1000,
  })
  activationWorker.on('error', (e) => log.warn('activation worker error', { error: e }))
  // Read-only handle for counting pending activations; it opens no connection of its own.
  const activationQueue = new Queue(names.activations, { connection, prefix: options.prefix, skipVersionCheck: true })
  activationQueue.on('error', () => {}) // logged by the connection's own handler (connection.ts)

  const keeper = startLeaseKeeper({
    leases, leaseTtlMs: options.leaseTtlMs, log,
    owned: () => [...loading, ...[...actors.values()].filter((a) => !a.passivating).map((a) => a.id)],
    onLost: (id) => {
      const a = actors.get(id)
      if (a) void passivate(a, 'lease-lost')
    },
    onOrphan: (id) => deps.mailbox.wake(id, 'recover'),
  })

  const doorbell = listenDoorbell(connection, names.doorbell(options.prefix, options.ownerId), {
    ring: (ids) => {
      for (const id of ids) {
        const a = actors.get(id)
        if (a) ringActor(a)
      }
    },
    // Redis may have lost the rings with its data: renew (or reclaim) the leases and look into every mailbox.
    reconnected: () => {
      keeper.renewNow()
      for (const a of actors.values()) ringActor(a)
    },
  }, log)

  async function stats(): Promise<ActorHostStats> {
    const live = [...actors.values()].filter((a) => !a.passivating).map((a) => a.id)
    const [mailboxBacklog, pendingActivations] = await Promise.all([jobs.waiting(live), activationQueue.getWaitingCount()])
    return { activeActors: actors.size, mailboxBacklog, pendingActivations }
  }

  return {
    activeCount: () => actors.size,
    stats,
    async close(graceMs) {
      closing = true
      keeper.stopReaping()
      slots.cancelWaiters()
      await activationWorker.close()
      const all = Promise.all([...actors.values()].map((a) => passivate(a, 'shutdown')))
      const timedOut = await Promise.race([all.then(() => false), Bun.sleep(graceMs).then(() => true)])
      keeper.stop()
      await doorbell.close()
      await activationQueue.close().catch(() => {})
      await jobs.close()
      if (timedOut) log.warn('grace period over; unfinished turns will be re-delivered elsewhere', { active: actors.size })
    },
  }
}
