// One test file's session tiers: its own Postgres schema, Redis prefix and S3 server, and a way to open a
// second storage over the same data (what a restarted process sees).
import type Redis from 'ioredis'
import { parseResourceDocuments } from '../../resources/index.ts'
import { createRedisClient, createStorage, type RetentionPolicy, type S3BlobStore, type SessionTierOptions, type Storage } from '../../storage/index.ts'
import { createTestDatabase, type TestDatabase } from '../support/postgres.ts'
import { createTestRedis, type TestRedis } from '../support/redis.ts'
import { startS3Server, type S3Server } from './s3-server.ts'

export interface TiersFixture {
  db: TestDatabase
  redis: TestRedis
  s3: S3Server
  /** Opens storage over the file's database, Redis prefix and bucket, with fresh clients. */
  open(options?: Omit<SessionTierOptions, 'blobs'>): Promise<Storage>
  close(): Promise<void>
}

export async function createTiersFixture(): Promise<TiersFixture> {
  const [db, redis, s3] = await Promise.all([createTestDatabase(), createTestRedis(), startS3Server()])
  const opened: { client: Redis; blobs: S3BlobStore }[] = []
  return {
    db,
    redis,
    s3,
    async open(options = {}) {
      const client = createRedisClient(redis.url, 'test-storage')
      const blobs = await s3.store()
      opened.push({ client, blobs })
      return createStorage(db.sql, client, redis.prefix, { ...options, blobs })
    },
    async close() {
      for (const o of opened) (o.client.disconnect(), await o.blobs.close())
      await Promise.all([db.drop(), redis.cleanup(), s3.close()])
    },
  }
}

/** `count` messages alternating customer / assistant, ids `<conversation>-<i>`. */
export function script(conversationId: string, count: number, from = 0) {
  return Array.from({ length: count }, (_, k) => {
    const i = from + k
    return { id: `${conversationId}-${i}`, conversationId, role: i % 2 === 0 ? ('customer' as const) : ('assistant' as const), text: `message ${i} of ${conversationId}` }
  })
}

/** A WRITE tool call's record as the tool pool stores it: arguments and result carry the customer's data. */
export async function recordToolCall(sql: TestDatabase['sql'], conversationId: string, turnId: string, callId = 'c1'): Promise<void> {
  await sql`insert into tool_calls (idempotency_key, tool, args, conversation_id, turn_id, status, ok, result)
    values (${`${turnId}.tool.${callId}`}, 'modify_user_address', ${sql.json({ user_id: 'u1', address1: '1 Secret Lane' })},
      ${conversationId}, ${turnId}, 'done', true, ${sql.json({ ok: true, output: { address1: '1 Secret Lane' } })})`
}

/** RetentionPolicy documents as the store holds them (validated, defaults filled). */
export const retentionPolicies = (text: string): RetentionPolicy[] =>
  parseResourceDocuments(text).map((d) => ({ metadata: d.metadata, spec: d.spec as RetentionPolicy['spec'] }))
