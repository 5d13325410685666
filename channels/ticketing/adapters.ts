// Zendesk- and Freshdesk-style payloads mapped onto the generic ticket event. Adapters only reshape; the
// generic validator then judges the result. Comments written by staff (including our own replies posted
// back into the ticket) are not customer turns, so they map to no comment.
import { createHash } from 'node:crypto'
import { InvalidInput, parseTicketEvent, type TicketEvent } from './ticket-event.ts'

export type TicketSource = 'generic' | 'zendesk' | 'freshdesk'
export const TICKET_SOURCES: readonly TicketSource[] = ['generic', 'zendesk', 'freshdesk']

type Json = Record<string, unknown>
const obj = (v: unknown): Json => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {})
const str = (v: unknown): string | undefined => (typeof v === 'string' || typeof v === 'number' ? String(v) : undefined)
const compact = <T extends Json>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== '')) as T

/**
 * Zendesk event webhooks: `{ type: 'zen:event-type:ticket.created' | '…ticket.comment_added' | …, detail: { id,
 * subject, description, status, requester_id }, event: { comment: { id, body, author: { is_staff } } } }`.
 */
function fromZendesk(p: Json): unknown {
  const type = str(p.type) ?? ''
  const detail = obj(p.detail)
  const comment = obj(obj(p.event).comment)
  const created = type.endsWith('ticket.created')
  const byStaff = obj(comment.author).is_staff === true
  const text = created ? str(detail.description) ?? str(detail.subject) : byStaff ? undefined : str(comment.body)
  return compact({
    event: created ? 'ticket.created' : 'ticket.updated',
    ticket: compact({
      id: str(detail.id),
      subject: str(detail.subject),
      status: str(detail.status)?.toLowerCase(),
      requester: detail.requester_id === undefined ? undefined : { externalId: `zendesk:${str(detail.requester_id)}` },
    }),
    comment: text ? { id: created ? 'description' : str(comment.id) ?? digest(text), body: text } : undefined,
  })
}

/**
 * Freshdesk automation webhooks: `{ freshdesk_webhook: { ticket_id, ticket_subject, ticket_description,
 * ticket_status, ticket_requester_email, ticket_requester_name, ticket_latest_public_comment, triggered_event } }`.
 * Freshdesk sends no comment id, so a comment is identified by its text.
 */
function fromFreshdesk(p: Json): unknown {
  const f = obj(p.freshdesk_webhook)
  const latest = str(f.ticket_latest_public_comment)
  const created = latest === undefined || str(f.triggered_event)?.includes('created') === true
  const text = created ? str(f.ticket_description) ?? str(f.ticket_subject) : latest
  return compact({
    event: created ? 'ticket.created' : 'ticket.updated',
    ticket: compact({
      id: str(f.ticket_id),
      subject: str(f.ticket_subject),
      status: str(f.ticket_status)?.toLowerCase(),
      requester: compact({ email: str(f.ticket_requester_email), name: str(f.ticket_requester_name) }),
    }),
    comment: text ? { id: created ? 'description' : digest(text), body: text } : undefined,
  })
}

const digest = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 32)

/** Validates a payload of the given source and returns the generic event. */
export function normalizeTicket(source: TicketSource, payload: unknown, maxCommentChars?: number): TicketEvent {
  if (!payload || typeof payload !== 'object' || Array.isArray(payload)) {
    throw new InvalidInput('the ticket event must be a JSON object', [{ path: '/', message: 'expected object' }])
  }
  const generic = source === 'zendesk' ? fromZendesk(payload as Json) : source === 'freshdesk' ? fromFreshdesk(payload as Json) : payload
  return parseTicketEvent(generic, maxCommentChars)
}
