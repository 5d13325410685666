// Zendesk- and Freshdesk-style payloads mapped onto the generic ticket event. Adapters only reshape; the
// generic validator then judges the result. Comments written by staff (including our own replies posted
// back into the ticket) are not customer turns, so they map to no comment. A comment is named by the source's
// own comment or event id, so a redelivery lands once and the same words written twice are two turns.
import { createHash } from 'node:crypto'
import { InvalidInput, parseTicketEvent, type TicketEvent } from './ticket-event.ts'

export type TicketSource = 'generic' | 'zendesk' | 'freshdesk'
export const TICKET_SOURCES: readonly TicketSource[] = ['generic', 'zendesk', 'freshdesk']

type Json = Record<string, unknown>
const obj = (v: unknown): Json => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {})
const str = (v: unknown): string | undefined => (typeof v === 'string' || typeof v === 'number' ? String(v) : undefined)
const compact = <T extends Json>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== '')) as T

/** A comment the source named by no id cannot be told from a redelivery: refused, naming what to send. */
function unnamed(path: string, hint: string): never {
  throw new InvalidInput('the comment carries no id to tell a new comment from a redelivered one', [{ path, message: hint }])
}

/**
 * Zendesk event webhooks: `{ id, type: 'zen:event-type:ticket.created' | '…ticket.comment_added' | …, detail: { id,
 * subject, description, status, requester_id }, event: { comment: { id, body, author: { is_staff } } } }`. A comment
 * is named by its id, else by the event's.
 */
function fromZendesk(p: Json): unknown {
  const type = str(p.type) ?? ''
  const detail = obj(p.detail)
  const comment = obj(obj(p.event).comment)
  const created = type.endsWith('ticket.created')
  const byStaff = obj(comment.author).is_staff === true
  const text = created ? str(detail.description) ?? str(detail.subject) : byStaff ? undefined : str(comment.body)
  const id = created ? 'description' : str(comment.id) ?? (str(p.id) && `event:${str(p.id)}`)
  if (text && !id) unnamed('/event/comment/id', 'required (or the event id at /id)')
  return compact({
    event: created ? 'ticket.created' : 'ticket.updated',
    ticket: compact({
      id: str(detail.id),
      subject: str(detail.subject),
      status: str(detail.status)?.toLowerCase(),
      requester: detail.requester_id === undefined ? undefined : { externalId: `zendesk:${str(detail.requester_id)}` },
    }),
    comment: text ? { id, body: text } : undefined,
  })
}

/**
 * Freshdesk automation webhooks: `{ freshdesk_webhook: { ticket_id, ticket_subject, ticket_description,
 * ticket_status, ticket_requester_email, ticket_requester_name, ticket_latest_public_comment, ticket_updated_at,
 * triggered_event, comment_id? } }`. Freshdesk's placeholders hold no comment id, so a comment is named by
 * `comment_id` when the rule's payload adds one, else by the ticket's update time with the comment's text: a
 * redelivery repeats both, a new comment (even the same words again) moves the time.
 */
function fromFreshdesk(p: Json): unknown {
  const f = obj(p.freshdesk_webhook)
  const latest = str(f.ticket_latest_public_comment)
  const created = latest === undefined || str(f.triggered_event)?.includes('created') === true
  const text = created ? str(f.ticket_description) ?? str(f.ticket_subject) : latest
  const updatedAt = str(f.ticket_updated_at)
  const id = created ? 'description' : str(f.comment_id) ?? (updatedAt && `updated:${digest(`${updatedAt}\u0000${text}`)}`)
  if (text && !id) unnamed('/freshdesk_webhook/ticket_updated_at', 'required (as in the Simple payload), or a comment_id')
  return compact({
    event: created ? 'ticket.created' : 'ticket.updated',
    ticket: compact({
      id: str(f.ticket_id),
      subject: str(f.ticket_subject),
      status: str(f.ticket_status)?.toLowerCase(),
      requester: compact({ email: str(f.ticket_requester_email), name: str(f.ticket_requester_name) }),
    }),
    comment: text ? { id, body: text } : undefined,
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
