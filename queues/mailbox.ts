// Sending mail to conversation actors: validate, add to the conversation's own queue (job id = message id,
// so a duplicate send is ignored), then ring the owner's doorbell, or wake some worker when there is no owner.
import { Job, SpanKind, TelemetryAttributes, type JobType } from 'bullmq'
import type Redis from 'ioredis'
import type { Mailbox, Message } from '../actors/protocol.ts'
import { TerminalError } from '../lib/errors.ts'
import { CONVERSATION_ID_PATTERN } from './names.ts'
import { assertValid } from './validate.ts'
import type { Leases } from './lease.ts'
import { createMailboxHandles } from './mailbox-handles.ts'
import type { QueueTelemetry } from './telemetry.ts'

// Completed mail is kept briefly so a re-sent message id is still recognised as a duplicate.
const KEEP_COMPLETED = { count: 100, age: 3600 }
const KEEP_FAILED = { count: 1000 }
// What a Queue's count() counts: every message not yet taken.
const BACKLOG: JobType[] = ['wait', 'paused', 'delayed', 'prioritized', 'waiting-children']

export interface MailboxSender extends Mailbox {
  /** Asks some worker to activate the conversation (used on recovery). */
  wake(conversationId: string): Promise<void>
  close(): Promise<void>
}

export function createMailbox(
  connection: Redis, prefix: string, leases: Pick<Leases, 'ring' | 'wake'>, options: { telemetry?: QueueTelemetry } = {},
): MailboxSender {
  const { telemetry } = options
  const mailboxes = createMailboxHandles(connection, { prefix, telemetry })

  return {
    async send(msg: Message) {
      assertValid('message', msg)
      if (!CONVERSATION_ID_PATTERN.test(msg.conversationId)) {
        throw new TerminalError('message.invalid', `conversationId must match ${CONVERSATION_ID_PATTERN}`)
      }
      // What Queue.add does for a plain job: the producer span, whose context the consumer's span continues.
      const mailbox = mailboxes.get(msg.conversationId)
      await mailbox.trace(SpanKind.PRODUCER, 'add', `${mailbox.name}.${msg.kind}`, async (span, metadata) => {
        const job = await Job.create(mailbox, msg.kind, msg, {
          jobId: msg.id, removeOnComplete: KEEP_COMPLETED, removeOnFail: KEEP_FAILED, ...(metadata ? { telemetry: { metadata } } : {}),
        })
        span?.setAttributes({ [TelemetryAttributes.JobName]: msg.kind, [TelemetryAttributes.JobId]: job.id! })
      })
      // A lease holder seen after the add is rung, and fetches this mail, or sees it when it releases the lease;
      // a pending wake-up has not taken the lease yet, so its activation will fetch this mail too.
      await leases.ring(msg.conversationId)
    },
    async backlog(conversationId) {
      return mailboxes.count(conversationId, BACKLOG)
    },
    wake: (conversationId) => leases.wake(conversationId),
    close: () => mailboxes.close(),
  }
}
