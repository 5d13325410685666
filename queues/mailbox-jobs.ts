// Manual processing of conversation mailboxes (BullMQ's fetch, complete and hand-back, with no Worker): one host
// takes mail from any number of mailboxes over the connection it already has. Ownership is the lease (lease.ts);
// the job lock taken at fetch only marks the job as being handled (erasure waits for it) and is never renewed.
import { Job, SpanKind } from 'bullmq'
import type Redis from 'ioredis'
import type { MailOutcome } from '../actors/protocol.ts'
import { createMailboxHandles, type MailboxHandle } from './mailbox-handles.ts'
import type { QueueTelemetry } from './telemetry.ts'

// Long enough for any turn, outage retries included: nothing expires it on purpose (takeover deletes it), and a
// lock that expired mid-turn would only make the completion fail and the message be redelivered, checkpointed.
const MAILBOX_LOCK_MS = 3_600_000

export interface MailboxJobsOptions {
  prefix: string
  /** Names this host's locks: a job taken over by another owner can no longer be completed by this one. */
  token: string
  telemetry?: QueueTelemetry
}

export interface MailboxJobs {
  /** Takes the conversation's next message, in order; undefined when its mailbox is empty. */
  fetch(conversationId: string): Promise<Job | undefined>
  /** Marks `job` handled (`forget`: removed at once) and takes the next message in the same round trip. */
  complete(conversationId: string, job: Job, outcome: MailOutcome): Promise<Job | undefined>
  /** Puts a taken message back at the front of its mailbox, for the next owner. */
  handBack(job: Job): Promise<void>
  /** Runs `fn` as the job's consumer span, in the trace context its sender attached (bullmq-otel). */
  traced<T>(conversationId: string, job: Job, fn: () => Promise<T>): Promise<T>
  /** Messages waiting (not yet taken) in these mailboxes. */
  waiting(conversationIds: string[]): Promise<number>
  close(): Promise<void>
}

export function createMailboxJobs(connection: Redis, options: MailboxJobsOptions): MailboxJobs {
  const { token } = options
  // BullMQ's fetch script reads the lock duration from the queue's options, as a Worker's would.
  const mailboxes = createMailboxHandles(connection, { prefix: options.prefix, telemetry: options.telemetry, lockDuration: MAILBOX_LOCK_MS })

  function toJob(mailbox: MailboxHandle, next: unknown): Job | undefined {
    const [data, id] = (next ?? []) as [Record<string, string> | null | undefined, string | undefined]
    if (!data) return undefined
    const job = Job.fromJSON(mailbox, data as never, id)
    job.token = token
    return job
  }

  return {
    async fetch(conversationId) {
      const mailbox = mailboxes.get(conversationId)
      return toJob(mailbox, await mailbox.scripts.moveToActive(await mailbox.client, token))
    },
    async complete(conversationId, job, outcome) {
      if (outcome === 'forget') job.opts.removeOnComplete = true
      return toJob(mailboxes.get(conversationId), await job.moveToCompleted(outcome, token, true))
    },
    async handBack(job) {
      await job.moveToWait(token)
    },
    async traced(conversationId, job, fn) {
      const mailbox = mailboxes.get(conversationId)
      return (await mailbox.trace(SpanKind.CONSUMER, 'process', mailbox.name, fn, job.opts.telemetry?.metadata)) as Awaited<ReturnType<typeof fn>>
    },
    async waiting(conversationIds) {
      // What a Queue's getWaitingCount counts: waiting and paused.
      const counts = await Promise.all(conversationIds.map((id) => mailboxes.count(id, ['wait', 'paused']).catch(() => 0)))
      return counts.reduce((sum, n) => sum + n, 0)
    },
    close: () => mailboxes.close(),
  }
}
