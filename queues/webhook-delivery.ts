// The outbound webhook queue: one job per delivery id (a duplicate enqueue is ignored), retried with
// exponential backoff, left in the failed set after the last attempt (the dead-letter view). What a delivery
// does (sign, POST, record) is the handler's business, so this file knows nothing of HTTP or storage.
import type Redis from 'ioredis'
import { createJobQueue, startJobWorker, type JobQueue, type JobWorker } from './job-queue.ts'

const QUEUE = 'webhooks'

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
export type WebhookQueue = JobQueue
export type WebhookWorker = JobWorker

export function createWebhookQueue(connection: Redis, prefix: string, options: WebhookQueueOptions): WebhookQueue {
  return createJobQueue(connection, prefix, QUEUE, { ...options, keepCompleted: { age: 3600, count: 10_000 }, keepFailed: { count: 10_000 } })
}

export function startWebhookWorker(
  connection: Redis, prefix: string, handler: WebhookHandler, options: { concurrency?: number; onError?: (e: Error) => void } = {},
): WebhookWorker {
  return startJobWorker(connection, prefix, QUEUE, (id, run) => handler(id, { attempt: run.attempt, final: run.final }), options)
}
