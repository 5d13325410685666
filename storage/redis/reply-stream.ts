// The reply stream of each conversation (a Redis stream): what channels (SSE, WebSocket, webhooks) deliver.
// Publishing is exactly-once per event id, so a redelivered turn never shows the customer a second reply.
import type Redis from 'ioredis'
import { defineScript } from '../../lib/redis-script.ts'

/**
 * What a conversation's stream carries. `reply.completed` is a reply from the AI agent or, with `author:
 * 'human_agent'`, from a person; `agent.typing` says a turn has run a quarter second without its reply (a quicker
 * reply comes without it); `message.received` shows a human in charge each customer message;
 * `draft.created` tells a console (by id only) that an assist-mode agent drafted a reply; `sla.breached` says a
 * handoff's first-response or resolution target passed (queue and due time only).
 */
export const CONVERSATION_EVENT_TYPES = [
  'reply.delta', 'reply.completed', 'agent.typing', 'message.received', 'draft.created',
  'escalation.opened', 'escalation.taken', 'escalation.resolved', 'conversation.closed', 'sla.breached',
] as const
export type ConversationEventType = (typeof CONVERSATION_EVENT_TYPES)[number]

export interface ConversationEvent {
  /** Idempotency id of the event (e.g. the reply's message id). */
  id: string
  type: ConversationEventType
  conversationId: string
  data: Record<string, unknown>
  at: number
}

export interface StreamEntry {
  /** Redis stream id: the SSE `id:` and the resume point for Last-Event-ID. */
  cursor: string
  event: ConversationEvent
}

const MAX_LEN = 1000
const DEDUPE_TTL_S = 86_400

// SET NX and XADD in one script: either the event was never published and is now, or nothing happens.
const PUBLISH_ONCE = `if redis.call('SET', KEYS[2], '1', 'NX', 'EX', ARGV[2]) then
  return redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[3], '*', 'e', ARGV[1]) end
return false`

export function createReplyStream(redis: Redis, prefix: string) {
  const publishOnce = defineScript(redis, 'publish_once', PUBLISH_ONCE)
  const streamKey = (conversationId: string) => `${prefix}:events:${conversationId}`
  const toEntries = (raw: [string, string[]][]): StreamEntry[] =>
    raw.map(([cursor, fields]) => ({ cursor, event: JSON.parse(fields[1] ?? '{}') as ConversationEvent }))
  return {
    streamKey,
    /** Publishes once per event id; returns the stream cursor, or null when it was already published. */
    async publish(event: ConversationEvent): Promise<string | null> {
      const dedupeKey = `${prefix}:evt:${event.conversationId}:${event.id}:${event.type}`
      const cursor = await publishOnce([streamKey(event.conversationId), dedupeKey], [JSON.stringify(event), DEDUPE_TTL_S, MAX_LEN])
      return (cursor as string | null) ?? null
    },
    /** Events after `cursor` ('0' for all kept), waiting up to `blockMs` when there are none. */
    async read(conversationId: string, cursor = '0', options: { blockMs?: number; count?: number; client?: Redis } = {}): Promise<StreamEntry[]> {
      const client = options.client ?? redis
      const count = options.count ?? 100
      const res = options.blockMs === undefined
        ? await client.xread('COUNT', count, 'STREAMS', streamKey(conversationId), cursor)
        : await client.xread('COUNT', count, 'BLOCK', options.blockMs, 'STREAMS', streamKey(conversationId), cursor)
      return res?.[0] ? toEntries(res[0][1]) : []
    },
  }
}
export type ReplyStream = ReturnType<typeof createReplyStream>
