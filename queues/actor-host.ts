// Virtual actors on BullMQ: a conversation is activated (its own Worker on its own mailbox queue) on the
// process that takes its activation, and passivated after it idles. Ownership is a Redis lease; the number
// of active actors is capped, above which activations wait (backpressure) after evicting idle actors.
// This is the runtime's one hub: activation, passivation and eviction share the actor table and the slots,
// so they live together; mailbox Workers (mailbox-worker.ts) and lease upkeep (lease-keeper.ts) do not.
import { context, ROOT_CONTEXT } from '@opentelemetry/api'
import { Queue, Worker, type Job } from 'bullmq'
import type Redis from 'ioredis'
import type { ActorFactory, ActorInstance, MailOutcome } from '../actors/protocol.ts'
import type { Logger } from '../lib/log.ts'
import type { DeadLetter } from './dead-letter.ts'
import type { Leases } from './lease.ts'
import type { MailboxSender } from './mailbox.ts'
import { processMail } from './mail-processor.ts'
import { openMailboxWorker } from './mailbox-worker.ts'
import { names } from './names.ts'
import { startLeaseKeeper } from './lease-keeper.ts'
import { createSlots } from './slots.ts'
import { requeueInFlight } from './takeover.ts'
import type { QueueTelemetry } from './telemetry.ts'

export interface ActorHostOptions {
  prefix: string
  /** @defaultValue 1000 */
  maxActive: number
  /** @defaultValue 30_000 */
  idleTimeoutMs: number
  /** @defaultValue 10_000 */
  leaseTtlMs: number
  /** @defaultValue 5 */
  turnAttempts: number
  /** Activations handled at once; each waits for a free slot when the host is full. @defaultValue 64 */
  activationConcurrency?: number
  /** Trace context across the mailbox hop (bullmq-otel); unset when tracing is off. */
  telemetry?: QueueTelemetry
}

interface ActiveActor {
  id: string
  instance: ActorInstance
  worker: Worker
  queue: Queue
  busy: boolean
  /** The mailbox was seen empty since the last message: only such actors are evicted under pressure. */
  drained: boolean
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
  const slots = createSlots(options.maxActive)
  const headroomAt = options.maxActive - Math.max(1, Math.floor(options.maxActive * 0.05))
  let activating = 0
  let closing = false

  const touch = (a: ActiveActor) => {
    actors.delete(a.id)
    actors.set(a.id, a)
    clearTimeout(a.idleTimer)
    a.idleTimer = setTimeout(() => void passivate(a, 'idle'), options.idleTimeoutMs)
  }

  async function passivate(a: ActiveActor, reason: string, force = false): Promise<void> {
    if (a.passivating) return a.passivating
    a.passivating = (async () => {
      const started = performance.now()
      clearTimeout(a.idleTimer)
      await a.worker.close(force).catch((e: Error) => log.warn('mailbox close failed', { error: e }))
      actors.delete(a.id)
      if (reason !== 'lease-lost') await leases.release(a.id)
      // Mail that arrived while closing is handed back through a fresh activation (see mailbox.send).
      const backlog = await a.queue.count().catch(() => 1)
      await a.queue.close().catch(() => {})
      slots.release()
      if (backlog > 0) await deps.mailbox.wake(a.id, 'handback').catch((e: Error) => log.error('hand-back failed', { error: e }))
      log.debug('actor passivated', { conversationId: a.id, reason, backlog, ms: Math.round(performance.now() - started) })
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
      if (a.drained && !a.busy && !a.passivating) {
        void passivate(a, 'evicted')
        return true
      }
    }
    return false
  }

  async function activate(conversationId: string): Promise<string> {
    await leases.clearWake(conversationId)
    if (actors.has(conversationId)) return 'local'
    const acquired = !closing && (await slots.acquire(evictIdle).then(() => true, () => false))
    if (!acquired) {
      await deps.mailbox.wake(conversationId, 'handback')
      return 'handed-back'
    }
    if (closing || actors.has(conversationId) || !(await leases.acquire(conversationId))) {
      slots.release()
      return 'owned'
    }
    const started = performance.now()
    // The mailbox Worker connects while the takeover and the actor's state load run.
    const a = open(conversationId)
    try {
      const [requeued, instance] = await Promise.all([
        requeueInFlight(connection, options.prefix, names.mailbox(conversationId)),
        deps.factory(conversationId),
      ])
      if (requeued > 0) log.info('took over in-flight mail of a previous owner', { conversationId, requeued })
      a.instance = instance
      actors.set(conversationId, a)
      touch(a)
      // The mailbox loop must not inherit this activation's trace context: each turn's trace continues its sender's.
      context.with(ROOT_CONTEXT, () => a.worker.run()).catch((e: Error) => log.warn('mailbox worker stopped', { conversationId, error: e }))
      log.debug('actor activated', { conversationId, ms: Math.round(performance.now() - started) })
      // Keep a little headroom, so the next activation finds a free slot instead of waiting for an eviction.
      keepHeadroom()
      return 'activated'
    } catch (e) {
      await a.worker.close(true).catch(() => {})
      await a.queue.close().catch(() => {})
      await leases.release(conversationId)
      slots.release()
      throw e
    }
  }

  /** The actor's mailbox Queue and (not yet running) Worker. */
  function open(id: string): ActiveActor {
    const a = { id, busy: false, drained: false } as ActiveActor
    const mailboxOptions = { connection, prefix: options.prefix, leaseTtlMs: options.leaseTtlMs, telemetry: options.telemetry, log }
    Object.assign(a, openMailboxWorker(id, mailboxOptions, {
      handle: (job) => handle(a, job),
      // Under backpressure an actor gives up its slot as soon as its mailbox is empty, not after the idle timeout.
      drained: () => {
        a.drained = true
        if (slots.waiting() > 0 && !a.busy) void passivate(a, 'evicted')
      },
    }))
    return a
  }

  async function handle(a: ActiveActor, job: Job): Promise<MailOutcome> {
    a.busy = true
    a.drained = false
    clearTimeout(a.idleTimer)
    try {
      return await processMail(a.instance, job, {
        attempts: options.turnAttempts,
        deadLetter: deps.deadLetter,
        log,
        shouldContinue: () => !closing && actors.get(a.id) === a,
      })
    } finally {
      a.busy = false
      if (!a.passivating) touch(a)
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

  async function stats(): Promise<ActorHostStats> {
    const live = [...actors.values()].filter((a) => !a.passivating)
    const [waiting, pendingActivations] = await Promise.all([
      Promise.all(live.map((a) => a.queue.getWaitingCount().catch(() => 0))),
      activationQueue.getWaitingCount(),
    ])
    return { activeActors: actors.size, mailboxBacklog: waiting.reduce((sum, n) => sum + n, 0), pendingActivations }
  }

  const keeper = startLeaseKeeper({
    leases, leaseTtlMs: options.leaseTtlMs, log,
    owned: () => [...actors.values()].filter((a) => !a.passivating).map((a) => a.id),
    onLost: (id) => {
      const a = actors.get(id)
      if (a) void passivate(a, 'lease-lost', true)
    },
    onOrphan: (id) => deps.mailbox.wake(id, 'recover'),
  })

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
      await activationQueue.close().catch(() => {})
      if (timedOut) log.warn('grace period over; unfinished turns will be re-delivered elsewhere', { active: actors.size })
    },
  }
}
