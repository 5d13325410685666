// The knowledge re-index queue: one job per re-index job id. A job is slow, I/O-bound work (fetching pages),
// so it leaves the API process for a worker. The job's own items record progress, so finished jobs are not
// kept here: a re-index that is asked for again while its job id is still queued or running is deduplicated.
import type Redis from 'ioredis'
import { createJobQueue, startJobWorker, type JobHandler, type JobQueue, type JobWorker } from './job-queue.ts'

const QUEUE = 'knowledge-index'
// Infrastructure failures only (a fetch's retries are the job items' own): a few, a few seconds apart.
const ATTEMPTS = 5
const BACKOFF_MS = 5000

export function createKnowledgeIndexQueue(connection: Redis, prefix: string): JobQueue {
  return createJobQueue(connection, prefix, QUEUE, { attempts: ATTEMPTS, backoffMs: BACKOFF_MS, keepCompleted: true, keepFailed: true })
}

export interface KnowledgeIndexWorkerOptions {
  /** Jobs run at once per worker process (each fetches a few pages at a time). @defaultValue 2 */
  concurrency?: number
  /** A crashed worker's job resumes elsewhere after about this long. */
  lockDurationMs: number
  onError?: (e: Error) => void
}

export function startKnowledgeIndexWorker(connection: Redis, prefix: string, handler: JobHandler, o: KnowledgeIndexWorkerOptions): JobWorker {
  // A job resumes where it stopped, so surviving many crashes costs nothing but time.
  return startJobWorker(connection, prefix, QUEUE, handler, { concurrency: o.concurrency ?? 2, lockDurationMs: o.lockDurationMs, maxStalledCount: 10, onError: o.onError })
}
