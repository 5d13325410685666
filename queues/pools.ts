// Actor pools: one BullMQ queue per pool (provider, guardrail, tool, escalation, outreach) with its own
// workers, concurrency, retries with backoff and dead-lettering; callers await results over QueueEvents.
import { Queue, QueueEvents, Worker, type Job } from 'bullmq'
import type Redis from 'ioredis'
import {
  POOL_NAMES, poolOf, type CallOptions, type Delivery, type PoolClient, type PoolHandlers, type PoolKind, type PoolName,
  type PoolRequest,
} from '../actors/protocol.ts'
import { TerminalError } from '../lib/errors.ts'
import type { Logger } from '../lib/log.ts'
import type { DeadLetter } from './dead-letter.ts'
import { names } from './names.ts'
import { attemptsByKind, backoffStrategy, decodeError, deliveryAttempt, fromErrorInfo, toBullError } from './retry.ts'
import { assertValid, validationErrors } from './validate.ts'

const DEFAULT_CALL_TIMEOUT_MS = 60_000
const KEEP_COMPLETED = { age: 600, count: 10_000 }
const KEEP_FAILED = { count: 10_000 }

export interface PoolQueues extends PoolClient {
  close(): Promise<void>
}

export function createPoolClient(connection: Redis, redisUrl: string, prefix: string): PoolQueues {
  const opts = { connection, prefix, skipVersionCheck: true }
  const queues = new Map(POOL_NAMES.map((p) => [p, new Queue(names.pool(p), opts)] as const))
  const events = new Map<PoolName, QueueEvents>()

  // One QueueEvents (a blocking XREAD connection) per pool, opened on first use.
  async function eventsFor(pool: PoolName): Promise<QueueEvents> {
    let e = events.get(pool)
    if (!e) {
      e = new QueueEvents(names.pool(pool), { connection: { url: redisUrl }, prefix, skipVersionCheck: true })
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
      const queueEvents = await eventsFor(poolOf[req.kind])
      const job = await add(req)
      try {
        return await job.waitUntilFinished(queueEvents, options?.timeoutMs ?? DEFAULT_CALL_TIMEOUT_MS)
      } catch (e) {
        throw fromErrorInfo(decodeError(e instanceof Error ? e.message : String(e)))
      }
    },
    async enqueue(req, options) {
      await add(req, options?.delayMs)
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

/** Starts one Worker per pool; `concurrency` is per pool and per process. */
export function startPoolWorkers(
  connection: Redis,
  prefix: string,
  concurrency: Record<PoolName, number>,
  handlers: PoolHandlers,
  deps: { deadLetter: DeadLetter; log: Logger },
): PoolWorkers {
  const workers = POOL_NAMES.map((pool) => {
    const worker = new Worker(names.pool(pool), (job: Job) => processPoolJob(job, handlers), {
      connection,
      prefix,
      concurrency: concurrency[pool],
      skipVersionCheck: true,
      settings: { backoffStrategy },
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

async function processPoolJob(job: Job, handlers: PoolHandlers): Promise<unknown> {
  try {
    const errors = validationErrors('pool', job.data)
    if (errors.length > 0) throw new TerminalError('message.invalid', errors.join('; '))
    return await dispatch(job.data as PoolRequest, handlers, { attempt: deliveryAttempt(job) })
  } catch (e) {
    throw toBullError(e)
  }
}

function dispatch(req: PoolRequest, handlers: PoolHandlers, delivery: Delivery): Promise<unknown> {
  const handler = handlers[req.kind as PoolKind] as (r: PoolRequest, d: Delivery) => Promise<unknown>
  return handler(req, delivery)
}
