// Actor pools: one BullMQ queue per pool (tool, escalation, outreach) and one per provider (vendor), each with its
// own workers, concurrency, retries with backoff and dead-lettering; callers await results over QueueEvents.
import { Queue, QueueEvents, UnrecoverableError, Worker, type Job } from 'bullmq'
import type Redis from 'ioredis'
import {
  POOL_NAMES, poolOf, type CallOptions, type Delivery, type PoolClient, type PoolHandlers, type PoolKind, type PoolResults, type PoolName,
  type PoolRequest,
} from '../actors/protocol.ts'
import { TerminalError } from '../lib/errors.ts'
import { logRedisErrors } from '../lib/redis-errors.ts'
import type { Logger } from '../lib/log.ts'
import type { DeadLetter } from './dead-letter.ts'
import { names } from './names.ts'
import { awaitPoolResult } from './pool-result.ts'
import { attemptsByKind, backoffMs, backoffStrategy, beforeDeadline, decodeError, deliveryAttempt, toBullError } from './retry.ts'
import type { QueueTelemetry } from './telemetry.ts'
import { assertValid, validationErrors } from './validate.ts'

const DEFAULT_CALL_TIMEOUT_MS = 60_000
const KEEP_COMPLETED = { age: 600, count: 10_000 }
const KEEP_FAILED = { count: 10_000 }

export interface PoolJobCount {
  pool: PoolName
  /** Set on a provider queue's own count; the `provider` pool's entry sums every provider queue. */
  provider?: string
  waiting: number
  active: number
}

export interface PoolQueues extends PoolClient {
  /** Waiting and active jobs of each pool queue and of each provider queue (queue-wide, for metrics). */
  jobCounts(): Promise<PoolJobCount[]>
  close(): Promise<void>
}

export interface PoolClientOptions {
  telemetry?: QueueTelemetry
  /** The deployment's providers: whose queue backlogs are reported (a bounded label set). */
  providers?: readonly string[]
}

/** The queue a request travels on: its vendor's for a model call, its pool's otherwise. */
export function queueOf(req: PoolRequest): string {
  return req.kind === 'provider.complete' ? names.providerPool(req.payload.vendor) : names.pool(poolOf[req.kind])
}

export function createPoolClient(connection: Redis, redisUrl: string, prefix: string, options: PoolClientOptions = {}): PoolQueues {
  const { telemetry } = options
  const opts = { connection, prefix, skipVersionCheck: true, telemetry }
  // Opened on first use: provider queues are named by the routing policies, which reload.
  const queues = new Map<string, Queue>()
  const queueNamed = (name: string): Queue => {
    let q = queues.get(name)
    if (!q) {
      q = new Queue(name, opts)
      // Every pending call listens for its queue closing: hundreds at once is normal here, not a leak.
      q.setMaxListeners(0)
      q.on('error', () => {}) // logged by the connection's own handler (connection.ts)
      queues.set(name, q)
    }
    return q
  }
  const events = new Map<string, QueueEvents>()
  // Requests awaiting their result. A Redis that comes back without its data lost their jobs: each is added again
  // under its id (a job still there is a duplicate, whose result the caller then reads), so it runs instead of the
  // caller waiting out its timeout and escalating.
  const waiting = new Map<string, PoolRequest>()
  let connectedOnce = connection.status === 'ready'
  connection.on('ready', () => {
    if (connectedOnce) for (const req of waiting.values()) void add(req).catch(() => {})
    connectedOnce = true
  })

  // One QueueEvents (a blocking XREAD connection) per queue, opened on first use.
  async function eventsFor(name: string): Promise<QueueEvents> {
    let e = events.get(name)
    if (!e) {
      // Read from the moment of creation, not from '$' at the first XREAD: a job finishing in between would
      // otherwise be missed by a caller that checked it a moment before.
      const lastEventId = `${Date.now()}-0`
      e = new QueueEvents(name, { connection: { url: redisUrl }, prefix, skipVersionCheck: true, lastEventId })
      logRedisErrors(e, `pool-events-${name}`)
      events.set(name, e)
      await e.waitUntilReady()
    }
    return e
  }

  async function add(req: PoolRequest, delayMs?: number): Promise<Job> {
    assertValid('pool', req)
    return queueNamed(queueOf(req)).add(req.kind, req, {
      jobId: req.id,
      attempts: attemptsByKind[req.kind],
      backoff: { type: 'custom' },
      delay: delayMs,
      removeOnComplete: KEEP_COMPLETED,
      removeOnFail: KEEP_FAILED,
    })
  }

  return {
    async call(req, options?: CallOptions) {
      const name = queueOf(req)
      const result = awaitPoolResult<PoolResults[typeof req.kind]>(
        await eventsFor(name), queueNamed(name), req.id, options?.timeoutMs ?? DEFAULT_CALL_TIMEOUT_MS,
      )
      await add(req).catch((e: unknown) => (result.cancel(), Promise.reject(e)))
      waiting.set(req.id, req)
      return result.promise.finally(() => waiting.delete(req.id))
    },
    async enqueue(req, options) {
      await add(req, options?.delayMs)
    },
    async jobCounts() {
      const count = async (name: string) => {
        const counts = await queueNamed(name).getJobCounts('waiting', 'active')
        return { waiting: counts.waiting ?? 0, active: counts.active ?? 0 }
      }
      const vendors = await Promise.all((options.providers ?? []).map(async (provider) => ({
        pool: 'provider' as const, provider, ...(await count(names.providerPool(provider))),
      })))
      const sum = (key: 'waiting' | 'active') => vendors.reduce((n, v) => n + v[key], 0)
      const pools = await Promise.all(POOL_NAMES.filter((p) => p !== 'provider').map(async (pool) => ({ pool, ...(await count(names.pool(pool))) })))
      return [{ pool: 'provider' as const, waiting: sum('waiting'), active: sum('active') }, ...pools, ...vendors]
    },
    async close() {
      await Promise.all([...events.values()].map((e) => e.close()))
      await Promise.all([...queues.values()].map((q) => q.close()))
    },
  }
}

export interface PoolWorkers {
  close(): Promise<void>
}

/** Starts one Worker per pool that has a handler; `concurrency` is per pool (per provider queue) and per process. */
export interface PoolWorkerOptions {
  prefix: string
  concurrency: Record<PoolName, number>
  /** The provider queues this process serves (`PROVIDER_QUEUES`): none starts no provider Worker. */
  providerQueues?: readonly string[]
  /** A job held by a dead worker is retried elsewhere after about this long (its lock expires). */
  lockDurationMs: number
  /** Trace context across the pool hop (bullmq-otel); unset when tracing is off. */
  telemetry?: QueueTelemetry
}

export function startPoolWorkers(
  connection: Redis,
  options: PoolWorkerOptions,
  handlers: Partial<PoolHandlers>,
  deps: { deadLetter: DeadLetter; log: Logger },
): PoolWorkers {
  const { prefix, concurrency } = options
  // A pool nothing is handled by starts no Worker: each would hold a blocking connection and poll for stalled jobs.
  const handles = (pool: PoolName) => Object.keys(handlers).some((kind) => poolOf[kind as PoolKind] === pool)
  const served = POOL_NAMES.filter((pool) => pool !== 'provider' && handles(pool)).map((pool) => ({ pool, name: names.pool(pool) }))
  const vendors = handles('provider') ? (options.providerQueues ?? []).map((v) => ({ pool: 'provider' as const, name: names.providerPool(v) })) : []
  const limiters: Queue[] = []
  const workers = [...served, ...vendors].map(({ pool, name }) => {
    // A vendor's 429 pauses its whole queue for its Retry-After, on every worker: BullMQ's limiter key. Its `max`
    // never binds by itself; the requests-per-minute limits stay with the routing state, shared with other paths.
    const limiter = pool === 'provider' ? new Queue(name, { connection, prefix, skipVersionCheck: true }) : undefined
    if (limiter) limiters.push(limiter)
    const worker = new Worker(name, (job: Job) => processPoolJob(job, handlers, limiter), {
      connection,
      prefix,
      concurrency: concurrency[pool],
      ...(limiter ? { limiter: { max: Number.MAX_SAFE_INTEGER - 1, duration: 1000 } } : {}),
      skipVersionCheck: true,
      settings: { backoffStrategy },
      telemetry: options.telemetry,
      lockDuration: options.lockDurationMs,
      stalledInterval: Math.max(250, Math.floor(options.lockDurationMs / 2)),
      // A job that keeps killing its worker fails after 3 crashes; the conversation then escalates.
      maxStalledCount: 3,
    })
    worker.on('error', (e) => deps.log.warn('pool worker error', { pool, error: e }))
    worker.on('failed', (job, e) => {
      const info = decodeError(e.message)
      if (!job || (info.retryable && job.attemptsMade < (job.opts.attempts ?? 1))) return
      const entry = { source: job.queueName, jobId: job.id, kind: job.name, reason: info.code, errors: [info.message], data: job.data }
      deps.deadLetter.add(entry).catch((err: Error) => deps.log.error('dead-letter write failed', { error: err }))
    })
    return worker
  })
  return {
    close: async () => {
      await Promise.all(workers.map((w) => w.close()))
      await Promise.all(limiters.map((q) => q.close()))
    },
  }
}

async function processPoolJob(job: Job, handlers: Partial<PoolHandlers>, limiter?: Queue): Promise<unknown> {
  try {
    const errors = validationErrors('pool', job.data)
    if (errors.length > 0) throw new TerminalError('message.invalid', errors.join('; '))
    return await dispatch(job.data as PoolRequest, handlers, { attempt: deliveryAttempt(job) })
  } catch (e) {
    const error = toBullError(e)
    if (error instanceof UnrecoverableError) throw error
    const info = decodeError(error.message)
    const req = job.data as PoolRequest
    const deadline = req.kind === 'provider.complete' ? req.payload.deadline : undefined
    // The vendor said when to come back: its queue waits that long, and the job keeps its attempts.
    if (limiter && info.code === 'provider.rate_limited' && info.retryAfterMs && beforeDeadline(deadline, info.retryAfterMs)) {
      await limiter.rateLimit(info.retryAfterMs)
      throw Worker.RateLimitError()
    }
    // One retry owner: a retry that would start after the caller gave up is not made; the caller falls back.
    if (!beforeDeadline(deadline, backoffMs(job.attemptsMade + 1, info.retryAfterMs))) throw new UnrecoverableError(error.message)
    throw error
  }
}

function dispatch(req: PoolRequest, handlers: Partial<PoolHandlers>, delivery: Delivery): Promise<unknown> {
  const handler = handlers[req.kind as PoolKind] as ((r: PoolRequest, d: Delivery) => Promise<unknown>) | undefined
  if (!handler) throw new TerminalError('message.invalid', `no handler for ${req.kind} in the ${poolOf[req.kind]} pool`)
  return handler(req, delivery)
}
