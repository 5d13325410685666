// Background jobs keyed by an id of the caller's (a webhook delivery, a re-index job): one BullMQ job per id
// (adding an id already queued or running does nothing), retried with exponential backoff. The handler owns
// the work and its records; this file owns only the queue. A handler may stop early on shutdown and answer
// `interrupted`: the job goes back to the queue without spending an attempt, and resumes on a worker.
import { DelayedError, Queue, Worker, type Job, type KeepJobs } from 'bullmq'
import type Redis from 'ioredis'

export interface JobQueueOptions {
  attempts: number
  /** First retry delay; doubles per attempt. */
  backoffMs: number
  /** Finished jobs kept for dedupe and inspection; `true` removes them at once. */
  keepCompleted: KeepJobs | true
  keepFailed: KeepJobs | true
}

export interface JobRun {
  /** 1 on the first attempt. */
  attempt: number
  /** True on the last attempt: a failure now is final. */
  final: boolean
  /** Aborted when the worker closes; a long job should stop between steps and answer `interrupted`. */
  signal: AbortSignal
}

/** Does the job; throws to have it retried, answers `interrupted` to have it resumed later. */
export type JobHandler = (id: string, run: JobRun) => Promise<void | 'finished' | 'interrupted'>

export interface JobWorkerOptions {
  /** @defaultValue 16 */
  concurrency?: number
  /** How long a job's lock lasts without renewal: a crashed worker's job runs again after about this long. @defaultValue 30000 */
  lockDurationMs?: number
  /** Crashes one job may survive before it is failed. @defaultValue 1 */
  maxStalledCount?: number
  /** Connection trouble, not job failures (the handler records those). */
  onError?: (e: Error) => void
}

export interface JobQueue {
  enqueue(id: string): Promise<void>
  close(): Promise<void>
}

export interface JobWorker {
  close(): Promise<void>
}

export function createJobQueue(connection: Redis, prefix: string, name: string, options: JobQueueOptions): JobQueue {
  const queue = new Queue(name, { connection, prefix, skipVersionCheck: true })
  return {
    async enqueue(id) {
      await queue.add('run', { id }, {
        jobId: id,
        attempts: options.attempts,
        backoff: { type: 'exponential', delay: options.backoffMs },
        removeOnComplete: options.keepCompleted,
        removeOnFail: options.keepFailed,
      })
    },
    close: () => queue.close(),
  }
}

export function startJobWorker(connection: Redis, prefix: string, name: string, handler: JobHandler, options: JobWorkerOptions = {}): JobWorker {
  const closing = new AbortController()
  const worker = new Worker(name, async (job: Job<{ id: string }>, token?: string) => {
    const attempt = job.attemptsMade + 1
    const outcome = await handler(job.data.id, { attempt, final: attempt >= (job.opts.attempts ?? 1), signal: closing.signal })
    if (outcome !== 'interrupted') return
    await job.moveToDelayed(Date.now(), token)
    throw new DelayedError()
  }, {
    connection, prefix, concurrency: options.concurrency ?? 16, skipVersionCheck: true,
    lockDuration: options.lockDurationMs ?? 30_000,
    stalledInterval: options.lockDurationMs ?? 30_000,
    maxStalledCount: options.maxStalledCount ?? 1,
  })
  worker.on('error', (e) => options.onError?.(e))
  return {
    close: async () => {
      closing.abort()
      await worker.close()
    },
  }
}
