// The outbound webhook queue: one job per delivery id (a duplicate enqueue is ignored), retried with
// exponential backoff, left in the failed set after the last attempt (the dead-letter view). What a delivery
// does (sign, POST, record) is the handler's business, so this file knows nothing of HTTP or storage.
import { Queue, Worker, type Job } from 'bullmq'
import type Redis from 'ioredis'

const QUEUE = 'webhooks'
const KEEP_COMPLETED = { age: 3600, count: 10_000 }
const KEEP_FAILED = { count: 10_000 }

export interface WebhookQueueOptions {
  /** Attempts before the delivery is dead. @defaultValue 8 */
  attempts: number
  /** First retry delay; doubles per attempt. @defaultValue 2000 */
  backoffMs: number
}

export interface WebhookAttempt {
  /** 1 on the first attempt. */
  attempt: number
  /** True on the last attempt: a failure now is final. */
  final: boolean
}

/** Sends one delivery; throws to have it retried. */
export type WebhookHandler = (deliveryId: string, attempt: WebhookAttempt) => Promise<void>

export interface WebhookQueue {
  enqueue(deliveryId: string): Promise<void>
  close(): Promise<void>
}

export interface WebhookWorker {
  close(): Promise<void>
}

export function createWebhookQueue(connection: Redis, prefix: string, options: WebhookQueueOptions): WebhookQueue {
  const queue = new Queue(QUEUE, { connection, prefix, skipVersionCheck: true })
  return {
    async enqueue(deliveryId) {
      await queue.add('deliver', { deliveryId }, {
        jobId: deliveryId,
        attempts: options.attempts,
        backoff: { type: 'exponential', delay: options.backoffMs },
        removeOnComplete: KEEP_COMPLETED,
        removeOnFail: KEEP_FAILED,
      })
    },
    close: () => queue.close(),
  }
}

export function startWebhookWorker(
  connection: Redis, prefix: string, handler: WebhookHandler, options: { concurrency?: number; onError?: (e: Error) => void } = {},
): WebhookWorker {
  const worker = new Worker(QUEUE, (job: Job<{ deliveryId: string }>) => {
    const attempt = job.attemptsMade + 1
    return handler(job.data.deliveryId, { attempt, final: attempt >= (job.opts.attempts ?? 1) })
  }, { connection, prefix, concurrency: options.concurrency ?? 16, skipVersionCheck: true })
  // Connection trouble, not delivery failures (the handler records those).
  worker.on('error', (e) => options.onError?.(e))
  return { close: () => worker.close() }
}
