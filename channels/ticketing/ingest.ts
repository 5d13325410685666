// A ticket event becomes a conversation on the ticket channel, keyed by the ticket, plus a customer turn
// per new comment. Ids derive from tenant, source, ticket and comment, so a redelivered event lands once. A new
// comment on a closed conversation (a customer writing to a solved ticket reopens it) opens it again: nothing
// answered 202 is dropped. Our own replies, posted into the ticket and coming back, are not customer turns.
import { createHash } from 'node:crypto'
import { identifyCustomer } from '../identity.ts'
import { acceptMessage, closeConversation, type Inbox } from '../inbox.ts'
import { AppError } from '../../lib/errors.ts'
import type { TicketSource } from './adapters.ts'
import type { TicketEvent } from './ticket-event.ts'

export interface TicketIngested {
  conversationId: string
  /** Present when the event carried a customer comment. */
  messageId?: string
  status: 'open' | 'escalated' | 'closed'
}

const CLOSING_STATUSES = new Set(['solved', 'closed'])
const hashId = (...parts: string[]) => createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 40)

// The prefix is what the ticket-reply trigger recognises a ticket's conversation by (migration 293).
export const ticketConversationId = (tenantId: string, source: TicketSource, ticketId: string) =>
  `tkt_${hashId(tenantId, source, ticketId)}`

const erased = (ticketId: string) =>
  new AppError('conversation.erased', `ticket ${ticketId} belonged to a customer who was erased; open a new ticket`)

interface TicketComment {
  tenantId: string
  source: TicketSource
  ticketId: string
  comment: NonNullable<TicketEvent['comment']>
}

/**
 * Stores the comment as a customer turn, opening a closed conversation again for a comment it does not hold yet.
 * Our own replies coming back into the ticket are skipped.
 */
async function acceptComment(inbox: Inbox, c: TicketComment, result: TicketIngested): Promise<void> {
  const { tenantId, comment } = c
  // Freshdesk's webhook names neither the comment nor its author: our own reply is recognised by its text.
  const text = c.source === 'freshdesk' ? comment.body : undefined
  if (await inbox.storage.ticketReplies.isOwnComment(result.conversationId, { id: comment.id, text })) return
  const messageId = `tkm_${hashId(tenantId, c.source, c.ticketId, comment.id)}`
  result.messageId = messageId
  const reopen = result.status === 'closed' ? await inbox.storage.chat.reopenFor(tenantId, result.conversationId, messageId) : 'open'
  if (reopen === 'erased') throw erased(c.ticketId)
  if (reopen === 'reopened') result.status = 'open'
  // 'held': a redelivered comment the conversation took before it closed.
  if (reopen === 'held') return
  await acceptMessage(inbox, { tenantId, conversationId: result.conversationId, messageId, text: comment.body, channel: 'ticket' })
}

export async function ingestTicket(inbox: Inbox, tenantId: string, source: TicketSource, ev: TicketEvent): Promise<TicketIngested> {
  const conversationId = ticketConversationId(tenantId, source, ev.ticket.id)
  const requester = ev.ticket.requester
  const customerId = requester ? await identifyCustomer(inbox.storage, tenantId, requester, `ticket:${source}`) : undefined
  const conversation = await inbox.storage.chat.create({
    id: conversationId, tenantId, channel: 'ticket', agent: ev.agent ?? 'demo', externalId: `${source}:${ev.ticket.id}`, customerId,
    metadata: { ticket: { source, id: ev.ticket.id, subject: ev.ticket.subject }, customer: ev.ticket.requester ?? {} },
  })
  // The id is the tenant's own (hashed with it), so only an erasure's tombstone refuses it.
  if (!conversation) throw erased(ev.ticket.id)
  const result: TicketIngested = { conversationId, status: conversation.status }
  if (ev.comment) await acceptComment(inbox, { tenantId, source, ticketId: ev.ticket.id, comment: ev.comment }, result)
  if (ev.ticket.status && CLOSING_STATUSES.has(ev.ticket.status)) {
    await closeConversation(inbox, tenantId, conversationId, `ticket ${ev.ticket.status}`)
    result.status = 'closed'
  }
  // A campaign may follow up on the ticket (a solved ticket's satisfaction check): its requester is whom it reaches.
  if (requester?.email) {
    await inbox.storage.outreach.ticketEvents.record({ tenantId, source, ticketId: ev.ticket.id, status: ev.ticket.status ?? null, email: requester.email })
  }
  return result
}
