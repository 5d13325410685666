// Schemas shared by several routes: ids in paths, cursors, and the shapes conversations are returned in.
import { t } from 'elysia'
import { CONVERSATION_ID_PATTERN } from '../queues/index.ts'
import type { TenantConversation } from '../storage/index.ts'

export const ConversationParams = t.Object({ id: t.String({ pattern: CONVERSATION_ID_PATTERN.source }) })

/** A reply-stream id (`<ms>-<seq>`), the SSE event id. */
export const StreamCursor = t.String({ pattern: '^[0-9]{1,20}(-[0-9]{1,20})?$' })

export const Channel = t.Union(['chat', 'email', 'sms', 'voice', 'ticket'].map((c) => t.Literal(c)))
export const Status = t.Union([t.Literal('open'), t.Literal('escalated'), t.Literal('closed')])

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
