// Accepting a customer message, shared by every channel: the stored message is mailed to its conversation
// actor under the same id, so re-sending after a failed or doubtful enqueue can never make a second turn.
import type { Mailbox } from '../actors/protocol.ts'
import type { Clock } from '../lib/clock.ts'
import { AppError } from '../lib/errors.ts'
import type { PostOutcome, Storage } from '../storage/index.ts'

export interface Inbox {
  storage: Pick<Storage, 'chat' | 'customers' | 'ticketReplies' | 'outreach'>
  mailbox: Pick<Mailbox, 'send'>
  clock: Clock
  /** Told about every accepted message (the webhook relay watches the conversation). */
  onAccepted?: (tenantId: string, conversationId: string) => void
}

export interface CustomerMessage {
  tenantId: string
  conversationId: string
  messageId: string
  text: string
  channel: string
}

/** Turns a storage outcome that refuses the message into the matching error. */
export function assertPosted(outcome: PostOutcome, conversationId: string): void {
  if (outcome === 'not_found') throw new AppError('not_found', `conversation ${conversationId} not found`)
  if (outcome === 'closed') throw new AppError('conversation.closed', `conversation ${conversationId} is closed`)
}

/** Mails a stored customer message to its conversation actor (idempotent per message id). */
export async function enqueueTurn(inbox: Inbox, m: CustomerMessage): Promise<void> {
  await inbox.mailbox.send({
    v: 1, id: m.messageId, kind: 'turn.received', conversationId: m.conversationId, sentAt: inbox.clock.now(),
    payload: { text: m.text, channel: m.channel },
  })
  inbox.onAccepted?.(m.tenantId, m.conversationId)
}

/** Stores and mails a customer message; a retry with the same message id repeats nothing. */
export async function acceptMessage(inbox: Inbox, m: CustomerMessage): Promise<void> {
  assertPosted(await inbox.storage.chat.postMessage(m.tenantId, { id: m.messageId, conversationId: m.conversationId, text: m.text }), m.conversationId)
  await enqueueTurn(inbox, m)
}

/**
 * Tells the conversation's actor that people wrote to it outside the actor (a human agent's message, a sent draft,
 * a hand-back), so it reads its context again; `causeId` names the write, so a retry mails nothing new.
 */
export async function contextChanged(inbox: Pick<Inbox, 'mailbox' | 'clock'>, conversationId: string, causeId: string, reason: string): Promise<void> {
  await inbox.mailbox.send({
    v: 1, id: `${causeId}.context`, kind: 'context.changed', conversationId, sentAt: inbox.clock.now(), payload: { reason },
  })
}

/**
 * Closes the conversation for the tenant and tells its actor. Idempotent: the close message is named by the time the
 * conversation closed, which a repeated close keeps; a conversation reopened and closed again gets a new one.
 */
export async function closeConversation(inbox: Inbox, tenantId: string, conversationId: string, reason: string): Promise<void> {
  const closedAt = await inbox.storage.chat.close(tenantId, conversationId)
  if (!closedAt) throw new AppError('not_found', `conversation ${conversationId} not found`)
  await inbox.mailbox.send({
    v: 1, id: `${conversationId}.close.${closedAt.getTime()}`, kind: 'conversation.close', conversationId, sentAt: inbox.clock.now(),
    payload: { reason },
  })
}
