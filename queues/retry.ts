// The only mapping between our error classes and BullMQ: Terminal → UnrecoverableError, Retryable → rethrow
// with a backoff that honours retryAfterMs. Attempts per kind live in one table.
import { UnrecoverableError, type Job } from 'bullmq'
import { RetryableError, TerminalError, toErrorInfo, type AppError, type ErrorInfo } from '../lib/errors.ts'
import type { PoolKind } from '../actors/protocol.ts'

export const attemptsByKind: Record<PoolKind, number> = {
  'provider.complete': 3,
  'tool.invoke': 5,
  'escalation.open': 10,
  'outreach.send': 5,
}

const BASE_BACKOFF_MS = 200
const MAX_BACKOFF_MS = 30_000

/** Exponential backoff from 200 ms, capped at 30 s, never shorter than the source's Retry-After. */
export function backoffMs(attemptsMade: number, retryAfterMs?: number): number {
  const exponential = Math.min(MAX_BACKOFF_MS, BASE_BACKOFF_MS * 2 ** Math.max(0, attemptsMade - 1))
  return Math.max(exponential, retryAfterMs ?? 0)
}

/** Whether waiting `ms` from now still ends before the caller's deadline (none: always). */
export function beforeDeadline(deadline: number | undefined, ms: number): boolean {
  return deadline === undefined || Date.now() + ms < deadline
}

/** BullMQ's custom backoff hook: reads the ErrorInfo our processors encode into the error message. */
export function backoffStrategy(attemptsMade: number, _type?: string, err?: Error): number {
  return backoffMs(attemptsMade, err ? decodeError(err.message).retryAfterMs : undefined)
}

/** What a processor throws to BullMQ: the ErrorInfo as JSON, so it survives the hop as `failedReason`. */
export function toBullError(e: unknown): Error {
  const info = toErrorInfo(e)
  const encoded = JSON.stringify(info)
  return info.retryable ? new Error(encoded) : new UnrecoverableError(encoded)
}

export function decodeError(reason: string | undefined): ErrorInfo {
  try {
    const info = JSON.parse(reason ?? '') as ErrorInfo
    if (typeof info.code === 'string' && typeof info.message === 'string') return info
  } catch {
    // not ours: BullMQ's own reasons (stalled too often, lock lost) are plain text
  }
  return { code: 'pool.failed', message: reason ?? 'unknown failure', retryable: true }
}

/** Rebuilds an AppError on the caller's side of a queue hop (never `instanceof` across a hop). */
export function fromErrorInfo(info: ErrorInfo): AppError {
  return info.retryable
    ? new RetryableError(info.code, info.message, info.retryAfterMs)
    : new TerminalError(info.code, info.message)
}

/** 1 for a first delivery; counts earlier failed attempts and crash redeliveries. */
export function deliveryAttempt(job: Job): number {
  return 1 + job.attemptsMade + (job.stalledCounter ?? 0)
}
