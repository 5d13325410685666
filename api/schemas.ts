// Schemas shared by several routes: ids in paths, cursors, and the shapes conversations are returned in.
import { t } from 'elysia'
import { CONVERSATION_ID_PATTERN } from '../queues/index.ts'
import type { TenantConversation } from '../storage/index.ts'

export const ConversationParams = t.Object({ id: t.String({ pattern: CONVERSATION_ID_PATTERN.source }) })

/** A reply-stream id (`<ms>-<seq>`), the SSE event id. */
export const StreamCursor = t.String({ pattern: '^[0-9]{1,20}(-[0-9]{1,20})?$' })

export const Channel = t.Union(['chat', 'email', 'sms', 'voice', 'ticket'].map((c) => t.Literal(c)))
export const Status = t.Union([t.Literal('open'), t.Literal('escalated'), t.Literal('closed')])

/**
 * A whole number in a query string, within a range Postgres can take: a fraction, an exponent past the range or a
 * non-number is a 400 naming `name` before any query runs. (Elysia reports a range failure after coercion with no
 * path, so the field is named in the schema's own error message.)
 */
export const QueryInteger = (name: string, minimum: number, maximum = Number.MAX_SAFE_INTEGER) =>
  t.Integer({ minimum, maximum, error: `query field ${name} must be a whole number from ${minimum} to ${maximum}` })

export const ResourceId = (prefix: string) => t.String({ pattern: `^${prefix}_[A-Za-z0-9]{1,64}$` })

/** The JSON a conversation is returned as. */
export function conversationView(c: TenantConversation) {
  return {
    id: c.id,
    status: c.status,
    channel: c.channel,
    agent: c.agent,
    customerId: c.customerId,
    externalId: c.externalId,
    doubleTexting: c.doubleTexting,
    identityVerified: c.identityVerified,
    metadata: c.metadata,
    csat: c.csat,
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
  }
}
