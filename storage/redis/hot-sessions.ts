// The hot tier: the last `maxMessages` messages of each recent conversation in a Redis sorted set scored by
// seq, with a TTL refreshed on every read and write. A cache of warm, never the source of truth.
import type Redis from 'ioredis'
import { defineScript } from '../../lib/redis-script.ts'
import type { Role, StoredMessage } from '../postgres/messages.ts'

/** Rank 0 of every hot set (score 0; seqs start at 1): marks the set as a complete suffix and holds its TTL. */
export interface HotMeta {
  ttlMs: number
  tenantId: string
  agent: string
}

export interface HotSessionsOptions {
  prefix: string
  /** Messages kept per conversation. @defaultValue 50 */
  maxMessages: number
}

type HotRow = [id: string, seq: number, role: Role, text: string, turnId: string | null, createdAt: number]

const META_TAG = '$meta'
// Read and refresh in one round trip: the TTL lives in the meta member, so a read needs no policy lookup.
const READ = `local head = redis.call('ZRANGE', KEYS[1], 0, 0)
if #head == 0 then return false end
redis.call('PEXPIRE', KEYS[1], cjson.decode(head[1])[2])
return redis.call('ZRANGE', KEYS[1], -tonumber(ARGV[1]), -1)`
// Appends only extend a set that already holds a complete suffix (or start one for a brand-new conversation):
// pushing onto a set that expired would make a partial window look complete.
const APPEND = `if redis.call('EXISTS', KEYS[1]) == 0 then
  if ARGV[3] == '' then return 0 end
  redis.call('ZADD', KEYS[1], 0, ARGV[3])
end
for i = 4, #ARGV, 2 do redis.call('ZADD', KEYS[1], ARGV[i], ARGV[i + 1]) end
redis.call('ZREMRANGEBYRANK', KEYS[1], 1, -(tonumber(ARGV[2]) + 1))
redis.call('PEXPIRE', KEYS[1], cjson.decode(redis.call('ZRANGE', KEYS[1], 0, 0)[1])[2])
return 1`
// Shortens a set's TTL to what the current retention policy allows, rewriting its meta member to match.
const CLAMP = `local head = redis.call('ZRANGE', KEYS[1], 0, 0)
if #head == 0 or cjson.decode(head[1])[2] <= tonumber(ARGV[2]) then return 0 end
redis.call('ZREM', KEYS[1], head[1])
redis.call('ZADD', KEYS[1], 0, ARGV[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 or ttl > tonumber(ARGV[2]) then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 1`

const encodeMeta = (m: HotMeta) => JSON.stringify([META_TAG, m.ttlMs, m.tenantId, m.agent])
const decodeMeta = (raw: string): HotMeta => {
  const [, ttlMs, tenantId, agent] = JSON.parse(raw) as [string, number, string, string]
  return { ttlMs, tenantId, agent }
}
const encode = (m: StoredMessage) => JSON.stringify([m.id, m.seq, m.role, m.text, m.turnId, m.createdAt.getTime()] satisfies HotRow)
const decode = (conversationId: string, raw: string): StoredMessage => {
  const [id, seq, role, text, turnId, createdAt] = JSON.parse(raw) as HotRow
  return { id, conversationId, seq, role, text, turnId, createdAt: new Date(createdAt) }
}
const scored = (messages: StoredMessage[]) => messages.flatMap((m) => [m.seq, encode(m)])

export function createHotSessions(redis: Redis, options: HotSessionsOptions) {
  const keyPrefix = `${options.prefix}:session:`
  const key = (conversationId: string) => keyPrefix + conversationId
  const cap = options.maxMessages
  const run = { read: defineScript(redis, 'hot_read', READ), append: defineScript(redis, 'hot_append', APPEND) }
  return {
    maxMessages: cap,
    /** The last `limit` (≤ maxMessages) messages oldest first, or undefined on a miss. Refreshes the TTL. */
    async read(conversationId: string, limit: number): Promise<StoredMessage[] | undefined> {
      const raw = (await run.read([key(conversationId)], [Math.min(limit, cap) + 1])) as string[] | null
      if (!raw) return undefined
      return raw.filter((r) => !r.startsWith(`["${META_TAG}"`)).slice(-limit).map((r) => decode(conversationId, r))
    },
    /** Write-through of stored messages. `create` starts the set (new conversation); otherwise a missing set stays missing. */
    async append(conversationId: string, messages: StoredMessage[], create?: HotMeta): Promise<boolean> {
      const meta = create ? encodeMeta(create) : ''
      return (await run.append([key(conversationId)], [0, cap, meta, ...scored(messages)])) === 1
    },
    /** Replaces the set with the conversation's latest messages (re-warm after a miss). */
    async replace(conversationId: string, messages: StoredMessage[], meta: HotMeta): Promise<void> {
      const k = key(conversationId)
      await redis.multi().del(k).zadd(k, 0, encodeMeta(meta), ...scored(messages.slice(-cap))).pexpire(k, meta.ttlMs).exec()
    },
    /** Drops conversations from the hot tier; returns how many were present. */
    async evict(conversationIds: string[]): Promise<number> {
      return conversationIds.length === 0 ? 0 : redis.unlink(...conversationIds.map(key))
    },
    /** Brings every hot set's TTL down to `ttlFor(meta)` where it is longer (retention job). Returns sets changed. */
    clampTtls: (ttlFor: (meta: HotMeta) => number) => clampTtls(redis, keyPrefix, ttlFor),
  }
}
export type HotSessions = ReturnType<typeof createHotSessions>

async function clampTtls(redis: Redis, keyPrefix: string, ttlFor: (meta: HotMeta) => number): Promise<number> {
  let cursor = '0'
  let changed = 0
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${keyPrefix}*`, 'COUNT', 500)
    cursor = next
    const heads = await Promise.all(keys.map((k) => redis.zrange(k, 0, 0)))
    const results = await Promise.all(keys.map((k, i) => {
      const head = heads[i]?.[0]
      if (!head?.startsWith(`["${META_TAG}"`)) return 0
      const meta = decodeMeta(head)
      const ttlMs = ttlFor(meta)
      return ttlMs < meta.ttlMs ? redis.eval(CLAMP, 1, k, encodeMeta({ ...meta, ttlMs }), ttlMs) : 0
    }))
    changed += results.filter((r) => r === 1).length
  } while (cursor !== '0')
  return changed
}
