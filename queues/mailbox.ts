// Sending mail to conversation actors: validate, add to the conversation's own queue (job id = message id,
// so a duplicate send is ignored), then wake an owner unless one already holds the lease.
import { Queue } from 'bullmq'
import type Redis from 'ioredis'
import type { Mailbox, Message } from '../actors/protocol.ts'
import { TerminalError } from '../lib/errors.ts'
import { names, CONVERSATION_ID_PATTERN } from './names.ts'
import { assertValid } from './validate.ts'
import type { Leases } from './lease.ts'
import type { QueueTelemetry } from './telemetry.ts'

// Completed mail is kept briefly so a re-sent message id is still recognised as a duplicate.
const KEEP_COMPLETED = { count: 100, age: 3600 }
const KEEP_FAILED = { count: 1000 }
const QUEUE_CACHE_SIZE = 5000

export interface MailboxSender extends Mailbox {
  /** Asks some worker to activate the conversation (used on recovery and hand-back). */
  wake(conversationId: string, reason: string): Promise<void>
  close(): Promise<void>
}

export function createMailbox(
  connection: Redis, prefix: string, leases: Pick<Leases, 'claimWake'>, options: { telemetry?: QueueTelemetry } = {},
): MailboxSender {
  const queues = new Map<string, Queue>()
  const { telemetry } = options
  const activations = new Queue(names.activations, { connection, prefix, skipVersionCheck: true, telemetry })

  // Queue objects share one connection; the cache only saves re-creating their script wrappers.
  function mailboxQueue(conversationId: string): Queue {
    let q = queues.get(conversationId)
    if (q) return q
    if (queues.size >= QUEUE_CACHE_SIZE) {
      const oldest = queues.keys().next().value as string
      void queues.get(oldest)?.close()
      queues.delete(oldest)
    }
    q = new Queue(names.mailbox(conversationId), { connection, prefix, skipVersionCheck: true, telemetry })
    queues.set(conversationId, q)
    return q
  }

  async function wake(conversationId: string, reason: string): Promise<void> {
    const jobId = `${conversationId}.${reason}.${crypto.randomUUID()}`
    await activations.add('activate', { conversationId }, { jobId, removeOnComplete: true, removeOnFail: KEEP_FAILED })
  }

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
      // A lease holder seen after the add either handles this mail or sees it when it releases the lease;
      // a pending wake-up has not checked the lease yet, so it will see this mail too.
      if (await leases.claimWake(msg.conversationId)) await wake(msg.conversationId, 'mail')
    },
    async backlog(conversationId) {
      return mailboxQueue(conversationId).count()
    },
    wake,
    async close() {
      await Promise.all([...queues.values()].map((q) => q.close()))
      queues.clear()
      await activations.close()
    },
  }
}
