// Waiting for a pool job's result over QueueEvents, listening BEFORE the job is added: no event can be
// missed, so no extra "is it finished already?" round trip is needed on every call, only after a duplicate add.
import { Job, type Queue, type QueueEvents } from 'bullmq'
import { RetryableError } from '../lib/errors.ts'
import { decodeError, fromErrorInfo } from './retry.ts'

export interface PendingResult<T> {
  promise: Promise<T>
  cancel(): void
}

type EventArgs = { returnvalue?: unknown; failedReason?: string }

export function awaitPoolResult<T>(events: QueueEvents, queue: Queue, jobId: string, timeoutMs: number): PendingResult<T> {
  let cancel = () => {}
  const promise = new Promise<T>((resolve, reject) => {
    const fail = (reason?: string) => reject(fromErrorInfo(decodeError(reason)))
    // A duplicate add means the job existed already (a redelivered or retried turn): it may have finished before we
    // listened. A job that gave up on a failure worth retrying runs again for the caller asking anew (a turn that
    // waited out an outage): its own attempts were spent inside the outage, and its failure is stale now.
    const settleIfFinished = async () => {
      const job = await Job.fromId(queue, jobId)
      if (job && (await job.isCompleted())) settle(() => resolve(job.returnvalue as T))
      else if (job && (await job.isFailed())) {
        if (!decodeError(job.failedReason).retryable) return settle(() => fail(job.failedReason))
        // Already taken back to the queue by another caller: its result reaches this one as well.
        await job.retry('failed').catch(() => {})
      }
    }
    const handlers: Record<string, (args: EventArgs) => void> = {
      [`completed:${jobId}`]: (args) => settle(() => resolve(args.returnvalue as T)),
      [`failed:${jobId}`]: (args) => settle(() => fail(args.failedReason)),
      [`duplicated:${jobId}`]: () => void settleIfFinished().catch((e: Error) => settle(() => reject(e))),
    }
    const timer = setTimeout(() => {
      settle(() => reject(new RetryableError('pool.failed', `no result for ${jobId} within ${timeoutMs} ms`)))
      abandon(events, queue, jobId)
    }, timeoutMs)
    function settle(finish: () => void): void {
      cancel()
      finish()
    }
    cancel = () => {
      clearTimeout(timer)
      for (const [event, handler] of Object.entries(handlers)) events.off(event as never, handler as never)
    }
    for (const [event, handler] of Object.entries(handlers)) events.on(event as never, handler as never)
  })
  return { promise, cancel }
}

// How long an abandoned job's running attempt is waited for, to remove the job before it is retried.
const ABANDONED_ATTEMPT_MS = 3_600_000

/**
 * One retry owner per hop: the job's attempts, within its caller's deadline. A job still queued or waiting out a
 * retry's backoff when its caller gives up is removed, so no attempt starts for nobody; one running right now is
 * locked, so it finishes that attempt and is removed when it goes back to wait for a retry.
 */
function abandon(events: QueueEvents, queue: Queue, jobId: string): void {
  const remove = () => queue.remove(jobId).catch(() => 0)
  void remove().then((removed) => {
    if (removed) return
    const requeued = () => (stop(), void remove())
    const handlers: Record<string, () => void> = {
      [`delayed:${jobId}`]: requeued, [`waiting:${jobId}`]: requeued, [`completed:${jobId}`]: () => stop(), [`failed:${jobId}`]: () => stop(),
    }
    const timer = setTimeout(() => stop(), ABANDONED_ATTEMPT_MS)
    timer.unref?.()
    function stop(): void {
      clearTimeout(timer)
      for (const [event, handler] of Object.entries(handlers)) events.off(event as never, handler as never)
    }
    for (const [event, handler] of Object.entries(handlers)) events.on(event as never, handler as never)
  })
}
