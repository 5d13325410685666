// Virtual actors on BullMQ: a conversation is activated on the process that claims its activation request, and
// passivated after it idles. Activation costs no Worker and no connection: the process's one blocking read
// (doorbell.ts) says which owned mailboxes have mail and when activation requests wait, a claim (lease.ts) takes
// requests and their leases in one step, and each actor's mail loop (mail-pump.ts) takes its mail over the shared
// connection. The number of active actors is capped: a full process claims only as many requests as it can make room
// for by evicting idle actors, and leaves the rest to others (backpressure). This is the runtime's one hub:
// activation, passivation and eviction share the actor table and the slots, so they live together.
import { context, ROOT_CONTEXT } from '@opentelemetry/api'
import type { Job } from 'bullmq'
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
import type { QueueTelemetry } from './telemetry.ts'

// How often a process with room looks for activation requests besides the bell: a marker taken by a process that
// crashed before claiming, or by a full one, delays a request by at most this long.
const CLAIM_POLL_MS = 1000
// How long a failed activation (its state could not be loaded) keeps its lease before handing its mail back.
const ACTIVATION_RETRY_MS = 1000

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
  /** Activations loading at once (claimed and not yet active). @defaultValue 64 */
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
  /** Activation requests no worker has claimed yet (queue-wide): conversations held back by backpressure. */
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
    prefix: options.prefix, token: `${options.ownerId}:${crypto.randomUUID()}`, telemetry: options.telemetry,
  })
  const batch = options.activationConcurrency ?? 64
  let activating = 0
  let closing = false
  let claiming = false
  // A claim left requests behind for want of room: claim again as soon as room frees up.
  let requestsLeft = false
  const inFlight = new Set<Promise<void>>()
  // Passivations whose lease release has not run yet, by conversation.
  const releasing = new Map<string, Promise<void>>()

  const owns = (a: PumpedActor) => !closing && actors.get(a.id) === a && !(a as ActiveActor).passivating
  const pumpDeps: MailPumpDeps = {
    jobs, attempts: options.turnAttempts, outageRetryMs: options.outageRetryMs, deadLetter: deps.deadLetter, log, owns,
    busyChanged: (a) => (a.busy ? clearTimeout((a as ActiveActor).idleTimer) : touch(a as ActiveActor)),
    // Under backpressure an actor gives up its slot as soon as its mailbox is empty, not after the idle timeout.
    drained: (a) => {
      if (slots.waiting() > 0) void passivate(a as ActiveActor, 'evicted')
      else if (requestsLeft) void claimRequests()
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
      // Mail that arrived while passivating is handed back through a new activation request, in the same step.
      await leases.release(a.id).catch((e: Error) => log.warn('lease release failed', { conversationId: a.id, error: e }))
      slots.release()
      if (requestsLeft) void claimRequests()
      log.debug('actor passivated', { conversationId: a.id, reason })
    })()
    const done = a.passivating
    releasing.set(a.id, done)
    void done.finally(() => releasing.get(a.id) === done && releasing.delete(a.id))
    return done
  }

  const evictable = (a: ActiveActor) => a.drained && !a.busy && !a.pumping && !a.passivating

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
      if (evictable(a)) {
        void passivate(a, 'evicted')
        return true
      }
    }
    return false
  }

  /** How many requests to claim: free slots plus idle actors to evict for them, within the activations at once. */
  function room(): number {
    const limit = batch - activating
    let n = slots.free() - slots.waiting()
    for (const a of actors.values()) {
      if (n >= limit) break
      if (evictable(a)) n++
    }
    return Math.min(limit, n)
  }

  async function claimRequests(): Promise<void> {
    if (claiming) {
      requestsLeft = true
      return
    }
    claiming = true
    try {
      for (;;) {
        if (closing) return
        const n = room()
        if (n <= 0) {
          // Full of busy actors: the first one to drain claims (the bell is not listened to meanwhile).
          requestsLeft = true
          return
        }
        requestsLeft = false
        const { claimed, local, left } = await leases.claim(n)
        for (const id of local) {
          const a = actors.get(id)
          if (a) ringActor(a)
        }
        for (const id of claimed) track(activate(id))
        requestsLeft ||= left > 0
        if (!requestsLeft) return
      }
    } catch (e) {
      requestsLeft = true
      log.warn('claiming activation requests failed; trying again', { error: e as Error })
    } finally {
      claiming = false
    }
  }

  /** A message taken for an activation that did not happen goes back to the front of its mailbox. */
  async function handBack(job: Job | undefined): Promise<void> {
    if (job) await jobs.handBack(job).catch((e: Error) => log.warn('could not hand mail back', { jobId: job.id, error: e }))
  }

  function track(p: Promise<void>): void {
    inFlight.add(p)
    void p.finally(() => inFlight.delete(p))
  }

  /** Activates a claimed conversation: its lease is held, the previous owner's in-flight mail is back in front. */
  async function activate(conversationId: string): Promise<void> {
    // Claimed while its previous instance here is still passivating (its lease had been lost): that release, under the
    // same owner name, would drop the lease just claimed. Let it run, then hand the mail back for a clean claim.
    const prior = releasing.get(conversationId)
    if (prior) {
      await prior
      await leases.release(conversationId).catch((e: Error) => log.warn('lease release failed', { conversationId, error: e }))
      return
    }
    activating++
    loading.add(conversationId)
    try {
      await slots.acquire(evictIdle)
      // The first message is taken while the state loads (the lease makes it ours alone): a cold turn waits for one
      // round trip instead of two. Should the fetch fail, the mail loop fetches it.
      const first = jobs.fetch(conversationId).catch(() => undefined)
      let instance, taken
      try {
        ;[instance, taken] = await Promise.all([deps.factory(conversationId), first])
      } catch (e) {
        slots.release()
        await handBack(await first)
        throw e
      }
      if (closing) {
        slots.release()
        await handBack(taken)
        await leases.release(conversationId)
        return
      }
      const a: ActiveActor = { id: conversationId, instance, rung: false, busy: false, drained: false, taken }
      actors.set(conversationId, a)
      touch(a)
      ringActor(a)
      // Keep a little headroom, so the next activation finds a free slot instead of waiting for an eviction.
      keepHeadroom()
    } catch (e) {
      // A slot never came (closing), or the state could not be loaded: the mail goes back to the requests.
      if (!closing) {
        log.error('activation failed; handing its mail back', { conversationId, error: e as Error })
        await Bun.sleep(ACTIVATION_RETRY_MS)
      }
      await leases.release(conversationId).catch((err: Error) => log.warn('lease release failed', { conversationId, error: err }))
    } finally {
      loading.delete(conversationId)
      activating--
      if (requestsLeft) void claimRequests()
    }
  }

  const claimPoll = setInterval(() => void claimRequests(), CLAIM_POLL_MS)

  const keeper = startLeaseKeeper({
    leases, leaseTtlMs: options.leaseTtlMs, log,
    owned: () => [...loading, ...[...actors.values()].filter((a) => !a.passivating).map((a) => a.id)],
    onLost: (id) => {
      const a = actors.get(id)
      if (a) void passivate(a, 'lease-lost')
    },
    onOrphan: (id) => deps.mailbox.wake(id),
  })

  const doorbell = listenDoorbell(connection, {
    doorbell: names.doorbell(options.prefix, options.ownerId), activationBell: names.activationBell(options.prefix),
  }, {
    activate: () => void claimRequests(),
    wantsActivations: () => !closing && room() > 0,
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
    const [mailboxBacklog, pendingActivations] = await Promise.all([jobs.waiting(live), leases.pending()])
    return { activeActors: actors.size, mailboxBacklog, pendingActivations }
  }

  return {
    activeCount: () => actors.size,
    stats,
    async close(graceMs) {
      closing = true
      clearInterval(claimPoll)
      keeper.stopReaping()
      slots.cancelWaiters()
      // Activations loading now hand their conversations back (closing) before the actors are passivated.
      await Promise.all(inFlight)
      const all = Promise.all([...actors.values()].map((a) => passivate(a, 'shutdown')))
      const timedOut = await Promise.race([all.then(() => false), Bun.sleep(graceMs).then(() => true)])
      keeper.stop()
      await doorbell.close()
      await jobs.close()
      if (timedOut) log.warn('grace period over; unfinished turns will be re-delivered elsewhere', { active: actors.size })
    },
  }
}
