// Sending mail to conversation actors: validate, add to the conversation's own queue (job id = message id,
// so a duplicate send is ignored), then ring the owner's doorbell, or wake some worker when there is no owner.
import type Redis from 'ioredis'
import type { Mailbox, Message } from '../actors/protocol.ts'
import { TerminalError } from '../lib/errors.ts'
import { CONVERSATION_ID_PATTERN } from './names.ts'
import { assertValid } from './validate.ts'
import type { Leases } from './lease.ts'
import { createQueueCache } from './queue-cache.ts'
import type { QueueTelemetry } from './telemetry.ts'

// Completed mail is kept briefly so a re-sent message id is still recognised as a duplicate.
const KEEP_COMPLETED = { count: 100, age: 3600 }
const KEEP_FAILED = { count: 1000 }
const QUEUE_CACHE_SIZE = 5000

export interface MailboxSender extends Mailbox {
  /** Asks some worker to activate the conversation (used on recovery). */
  wake(conversationId: string): Promise<void>
  close(): Promise<void>
}

export function createMailbox(
  connection: Redis, prefix: string, leases: Pick<Leases, 'ring' | 'wake'>, options: { telemetry?: QueueTelemetry } = {},
): MailboxSender {
  const { telemetry } = options
  const queues = createQueueCache({ connection, prefix, telemetry }, QUEUE_CACHE_SIZE)
  const mailboxQueue = (conversationId: string) => queues.get(conversationId)

  return {
    async send(msg: Message) {
      assertValid('message', msg)
      if (!CONVERSATION_ID_PATTERN.test(msg.conversationId)) {
        throw new TerminalError('message.invalid', `conversationId must match ${CONVERSATION_ID_PATTERN}`)
      }
      await mailboxQueue(msg.conversationId).add(msg.kind, msg, {
        jobId: msg.id,
        removeOnComplete: KEEP_COMPLETED,
        removeOnFail: KEEP_FAILED,
      })
      // A lease holder seen after the add is rung, and fetches this mail, or sees it when it releases the lease;
      // a pending wake-up has not taken the lease yet, so its activation will fetch this mail too.
      await leases.ring(msg.conversationId)
    },
    async backlog(conversationId) {
      return mailboxQueue(conversationId).count()
    },
    wake: (conversationId) => leases.wake(conversationId),
    close: () => queues.close(),
  }
}
