// The ticket reply sender: every worker process polls the outbox (storage's ticket_replies, filled in the same
// transaction as each reply) and posts what is due. Claims are row locks with a lease, so workers share the work
// and a dead worker's claim comes due again; failures are retried with exponential backoff, honouring
// Retry-After, and dead-lettered after the last attempt or at a refusal no retry can fix.
import type { Logger } from '../../lib/log.ts'
import type { DueTicketReply, ReplyAttempt, Storage } from '../../storage/index.ts'
import { postTicketReply, type PostedReply, type ReadyReply } from './reply-poster.ts'

export interface TicketReplySenderOptions {
  storage: Pick<Storage, 'ticketReplies'>
  log: Logger
  /** How often the outbox is read. */
  pollMs: number
  /** Attempts before a reply is dead. */
  maxAttempts: number
  /** First retry delay; doubles per attempt. */
  backoffMs: number
  /** Time the ticket system gets to answer one post. */
  timeoutMs: number
  fetch?: typeof fetch
}

const BATCH = 20
const MAX_BACKOFF_MS = 3_600_000

/** What to record for an attempt: posted, due again later, or dead. */
function outcome(reply: DueTicketReply, posted: PostedReply, o: TicketReplySenderOptions): ReplyAttempt {
  if (posted.ok) return posted
  const { statusCode, error } = posted
  if (!posted.retryable || reply.attempts >= o.maxAttempts) return { ok: false, statusCode, error }
  const backoff = Math.min(o.backoffMs * 2 ** (reply.attempts - 1), MAX_BACKOFF_MS)
  return { ok: false, statusCode, error, retryAt: new Date(Date.now() + Math.max(backoff, posted.retryAfterMs ?? 0)) }
}

/** The reply with its text and connection, or why it cannot be posted: its message is gone, or the connection. */
function ready(reply: DueTicketReply): ReadyReply | PostedReply {
  const { text, baseUrl, secret } = reply
  if (text === null) return { ok: false, retryable: false, error: 'the reply no longer exists' }
  if (secret === null || baseUrl === null) return { ok: false, retryable: false, error: 'no connection to this ticket system' }
  return { ...reply, text, baseUrl, secret }
}

async function send(reply: DueTicketReply, o: TicketReplySenderOptions): Promise<void> {
  const r = ready(reply)
  const posted = 'ok' in r ? r : await postTicketReply(r, { timeoutMs: o.timeoutMs, fetch: o.fetch })
  const attempt = outcome(reply, posted, o)
  await o.storage.ticketReplies.record(reply.messageId, attempt)
  if (!attempt.ok) {
    const fields = { messageId: reply.messageId, source: reply.source, attempt: reply.attempts, statusCode: attempt.statusCode, error: attempt.error }
    o.log.warn(attempt.retryAt ? 'ticket reply failed, will retry' : 'ticket reply dead-lettered', fields)
  }
}

/** Starts the polling loop; `close` stops it after the posts in flight. */
export function startTicketReplySender(o: TicketReplySenderOptions): { close(): Promise<void> } {
  // A claim outlives the slowest post, so no other worker takes a reply while it is in flight.
  const leaseMs = o.timeoutMs * 2
  let busy: Promise<void> | undefined
  const tick = async () => {
    const due = await o.storage.ticketReplies.claimDue(BATCH, leaseMs)
    await Promise.all(due.map((reply) => send(reply, o)))
  }
  const timer = setInterval(() => {
    // A slow round is not overtaken by the next: one round at a time per process.
    busy ??= tick().catch((error: Error) => o.log.warn('ticket reply sender failed', { error })).finally(() => (busy = undefined))
  }, o.pollMs)
  return {
    async close() {
      clearInterval(timer)
      await busy
    },
  }
}
