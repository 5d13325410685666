// Actor pools: one BullMQ queue per pool (provider, guardrail, tool, escalation, outreach) with its own
// workers, concurrency, retries with backoff and dead-lettering; callers await results over QueueEvents.
import { Queue, QueueEvents, Worker, type Job } from 'bullmq'
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
import { attemptsByKind, backoffStrategy, decodeError, deliveryAttempt, toBullError } from './retry.ts'
import type { QueueTelemetry } from './telemetry.ts'
import { assertValid, validationErrors } from './validate.ts'

const DEFAULT_CALL_TIMEOUT_MS = 60_000
const KEEP_COMPLETED = { age: 600, count: 10_000 }
const KEEP_FAILED = { count: 10_000 }

export interface PoolQueues extends PoolClient {
  /** Waiting and active jobs of each pool queue (queue-wide, for metrics). */
  jobCounts(): Promise<Array<{ pool: PoolName; waiting: number; active: number }>>
  close(): Promise<void>
}

export function createPoolClient(
  connection: Redis, redisUrl: string, prefix: string, options: { telemetry?: QueueTelemetry } = {},
): PoolQueues {
  const { telemetry } = options
  const opts = { connection, prefix, skipVersionCheck: true, telemetry }
  const queues = new Map(POOL_NAMES.map((p) => [p, new Queue(names.pool(p), opts)] as const))
  // Every pending call listens for its queue closing: hundreds at once is normal here, not a leak.
  for (const q of queues.values()) q.setMaxListeners(0)
  for (const q of queues.values()) q.on('error', () => {}) // logged by the connection's own handler (connection.ts)
  const events = new Map<PoolName, QueueEvents>()
  // Requests awaiting their result. A Redis that comes back without its data lost their jobs: each is added again
  // under its id (a job still there is a duplicate, whose result the caller then reads), so it runs instead of the
  // caller waiting out its timeout and escalating.
  const waiting = new Map<string, PoolRequest>()
  let connectedOnce = connection.status === 'ready'
  connection.on('ready', () => {
    if (connectedOnce) for (const req of waiting.values()) void add(req).catch(() => {})
    connectedOnce = true
  })

  // One QueueEvents (a blocking XREAD connection) per pool, opened on first use.
  async function eventsFor(pool: PoolName): Promise<QueueEvents> {
    let e = events.get(pool)
    if (!e) {
      // Read from the moment of creation, not from '$' at the first XREAD: a job finishing in between would
      // otherwise be missed by a caller that checked it a moment before.
      const lastEventId = `${Date.now()}-0`
      e = new QueueEvents(names.pool(pool), { connection: { url: redisUrl }, prefix, skipVersionCheck: true, lastEventId })
      logRedisErrors(e, `pool-events-${pool}`)
      events.set(pool, e)
      await e.waitUntilReady()
    }
    return e
  }

  async function add(req: PoolRequest, delayMs?: number): Promise<Job> {
    assertValid('pool', req)
    const queue = queues.get(poolOf[req.kind])!
    return queue.add(req.kind, req, {
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
      const pool = poolOf[req.kind]
      const result = awaitPoolResult<PoolResults[typeof req.kind]>(
        await eventsFor(pool), queues.get(pool)!, req.id, options?.timeoutMs ?? DEFAULT_CALL_TIMEOUT_MS,
      )
      await add(req).catch((e: unknown) => (result.cancel(), Promise.reject(e)))
      waiting.set(req.id, req)
      return result.promise.finally(() => waiting.delete(req.id))
    },
    async enqueue(req, options) {
      await add(req, options?.delayMs)
    },
    jobCounts: () => Promise.all([...queues].map(async ([pool, q]) => {
      const counts = await q.getJobCounts('waiting', 'active')
      return { pool, waiting: counts.waiting ?? 0, active: counts.active ?? 0 }
    })),
    async close() {
      await Promise.all([...events.values()].map((e) => e.close()))
      await Promise.all([...queues.values()].map((q) => q.close()))
    },
  }
}

export interface PoolWorkers {
  close(): Promise<void>
}

/** Starts one Worker per pool that has a handler; `concurrency` is per pool and per process. */
export interface PoolWorkerOptions {
  prefix: string
  concurrency: Record<PoolName, number>
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
  const served = POOL_NAMES.filter((pool) => Object.keys(handlers).some((kind) => poolOf[kind as PoolKind] === pool))
  const workers = served.map((pool) => {
    const worker = new Worker(names.pool(pool), (job: Job) => processPoolJob(job, handlers), {
      connection,
      prefix,
      concurrency: concurrency[pool],
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
  return { close: async () => void (await Promise.all(workers.map((w) => w.close()))) }
}

async function processPoolJob(job: Job, handlers: Partial<PoolHandlers>): Promise<unknown> {
  try {
    const errors = validationErrors('pool', job.data)
    if (errors.length > 0) throw new TerminalError('message.invalid', errors.join('; '))
    return await dispatch(job.data as PoolRequest, handlers, { attempt: deliveryAttempt(job) })
  } catch (e) {
    throw toBullError(e)
  }
}

function dispatch(req: PoolRequest, handlers: Partial<PoolHandlers>, delivery: Delivery): Promise<unknown> {
  const handler = handlers[req.kind as PoolKind] as ((r: PoolRequest, d: Delivery) => Promise<unknown>) | undefined
  if (!handler) throw new TerminalError('message.invalid', `no handler for ${req.kind} in the ${poolOf[req.kind]} pool`)
  return handler(req, delivery)
}
