// The BullMQ Worker (and Queue handle) of one active conversation's mailbox: one message at a time, created
// not running, so the caller can take over in-flight mail and load the actor's state first.
import { Queue, Worker, type Job } from 'bullmq'
import type Redis from 'ioredis'
import type { MailOutcome } from '../actors/protocol.ts'
import type { Logger } from '../lib/log.ts'
import { names } from './names.ts'
import type { QueueTelemetry } from './telemetry.ts'

export interface MailboxWorkerOptions {
  connection: Redis
  prefix: string
  /** The job lock: a dead owner's message is free to take over after this long. */
  leaseTtlMs: number
  telemetry?: QueueTelemetry
  log: Logger
}

export interface MailboxWorkerHooks {
  handle(job: Job): Promise<MailOutcome>
  /** The mailbox was found empty. */
  drained(): void
}

export function openMailboxWorker(conversationId: string, options: MailboxWorkerOptions, hooks: MailboxWorkerHooks): { queue: Queue; worker: Worker } {
  const { connection, prefix, telemetry, log } = options
  const queueName = names.mailbox(conversationId)
  const queue = new Queue(queueName, { connection, prefix, skipVersionCheck: true, telemetry })
  const worker = new Worker(queueName, (job: Job) => hooks.handle(job), {
    connection,
    prefix,
    concurrency: 1,
    autorun: false,
    skipVersionCheck: true,
    telemetry,
    // Takeover (requeueInFlight) puts a dead owner's mail back on activation, in order; BullMQ's stalled
    // check would cost a script call per actor per interval and could let newer mail overtake.
    lockDuration: options.leaseTtlMs,
    skipStalledCheck: true,
  })
  worker.on('error', (e) => log.warn('mailbox worker error', { conversationId, error: e }))
  worker.on('drained', () => hooks.drained())
  // Completed mail is kept a while to recognise re-sent ids; mail of an erased conversation goes at once.
  worker.on('completed', (job, outcome: MailOutcome) => {
    if (outcome === 'forget') job.remove().catch((e: Error) => log.warn('could not remove erased mail', { conversationId, jobId: job.id, error: e }))
  })
  worker.on('failed', (job, e) => log.error('mail failed', { conversationId, jobId: job?.id, error: e }))
  return { queue, worker }
}
