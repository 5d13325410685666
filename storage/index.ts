// Storage contracts and their Postgres / Redis / S3 implementations. The only importer of postgres.js.
import type Redis from 'ioredis'
import type { Sql } from './postgres/client.ts'
import { createConversations } from './postgres/conversations.ts'
import { createEscalations } from './postgres/escalations.ts'
import { createMessages } from './postgres/messages.ts'
import { createProviderCalls } from './postgres/provider-calls.ts'
import { createTurnSteps } from './postgres/turn-steps.ts'
import { createReplyStream } from './redis/reply-stream.ts'

export { createSql, type Sql, type PostgresOptions } from './postgres/client.ts'
export { migrate, isMigrated, listMigrations } from './postgres/migrate.ts'
export { createRedisClient } from './redis/client.ts'
export type { Conversation, ConversationStatus, Conversations, NewConversation } from './postgres/conversations.ts'
export type { StoredMessage, NewMessage, Role, Messages } from './postgres/messages.ts'
export type { TurnSteps } from './postgres/turn-steps.ts'
export type { ProviderCallRecord, ProviderCalls } from './postgres/provider-calls.ts'
export type { Escalation, Escalations } from './postgres/escalations.ts'
export type { ConversationEvent, ConversationEventType, StreamEntry, ReplyStream } from './redis/reply-stream.ts'

/**
 * Every repository over one Postgres pool and one Redis client.
 * @example const storage = createStorage(createSql(config.postgres), createRedisClient(config.redis.url), 'switchboard')
 */
export function createStorage(sql: Sql, redis: Redis, prefix: string) {
  return {
    sql,
    redis,
    conversations: createConversations(sql),
    messages: createMessages(sql),
    turnSteps: createTurnSteps(sql),
    providerCalls: createProviderCalls(sql),
    escalations: createEscalations(sql),
    events: createReplyStream(redis, prefix),
  }
}
export type Storage = ReturnType<typeof createStorage>
