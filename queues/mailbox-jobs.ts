// Manual processing of conversation mailboxes (BullMQ's fetch, complete and hand-back, with no Worker): one host
// takes mail from any number of mailboxes over the connection it already has. Ownership is the lease (lease.ts);
// the job lock taken at fetch only marks the job as being handled (erasure waits for it) and is never renewed.
import { createScripts, Job, SpanKind, type Queue } from 'bullmq'
import type Redis from 'ioredis'
import type { MailOutcome } from '../actors/protocol.ts'
import { createQueueCache } from './queue-cache.ts'
import type { QueueTelemetry } from './telemetry.ts'

type Scripts = ReturnType<typeof createScripts>

// Long enough for any turn, outage retries included: nothing expires it on purpose (takeover deletes it), and a
// lock that expired mid-turn would only make the completion fail and the message be redelivered, checkpointed.
const MAILBOX_LOCK_MS = 3_600_000

export interface MailboxJobsOptions {
  prefix: string
  /** Names this host's locks: a job taken over by another owner can no longer be completed by this one. */
  token: string
  /** Mailbox handles kept (each shares the connection). */
  cacheSize: number
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
  const { token, telemetry } = options
  // BullMQ's fetch script reads the lock duration from the queue's options, as a Worker's would.
  const queues = createQueueCache({ connection, prefix: options.prefix, telemetry, lockDuration: MAILBOX_LOCK_MS }, options.cacheSize)
  const scripts = new WeakMap<Queue, Scripts>()

  function scriptsOf(queue: Queue): Scripts {
    let s = scripts.get(queue)
    if (!s) scripts.set(queue, (s = createScripts(queue)))
    return s
  }

  function toJob(queue: Queue, next: unknown): Job | undefined {
    const [data, id] = (next ?? []) as [Record<string, string> | null | undefined, string | undefined]
    if (!data) return undefined
    const job = Job.fromJSON(queue, data as never, id)
    job.token = token
    return job
  }

  return {
    async fetch(conversationId) {
      const queue = queues.get(conversationId)
      return toJob(queue, await scriptsOf(queue).moveToActive(await queue.client, token))
    },
    async complete(conversationId, job, outcome) {
      if (outcome === 'forget') job.opts.removeOnComplete = true
      return toJob(queues.get(conversationId), await job.moveToCompleted(outcome, token, true))
    },
    async handBack(job) {
      await job.moveToWait(token)
    },
    async traced(conversationId, job, fn) {
      const queue = queues.get(conversationId)
      return (await queue.trace(SpanKind.CONSUMER, 'process', queue.name, fn, job.opts.telemetry?.metadata)) as Awaited<ReturnType<typeof fn>>
    },
    async waiting(conversationIds) {
      const counts = await Promise.all(conversationIds.map((id) => queues.get(id).getWaitingCount().catch(() => 0)))
      return counts.reduce((sum, n) => sum + n, 0)
    },
    close: () => queues.close(),
  }
}
