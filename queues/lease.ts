// Ownership leases in Redis: at most one worker owns an active conversation. Each lease is a key with a
// TTL plus an entry in an index sorted by expiry, so survivors can find the conversations of a dead owner.
import type Redis from 'ioredis'
import { names } from './names.ts'
import { defineScript } from '../lib/redis-script.ts'

// Scores use Redis's own clock (TIME), so workers with skewed clocks agree on what has expired.
const NOW_MS = `local t = redis.call('TIME') local now = t[1] * 1000 + math.floor(t[2] / 1000)`

const ACQUIRE = `${NOW_MS}
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
  redis.call('ZADD', KEYS[2], now + tonumber(ARGV[2]), ARGV[3]) return 1 end
return 0`

// Renews every lease this owner holds in one call; returns the ids whose lease was lost.
const RENEW_ALL = `${NOW_MS}
local lost = {}
for i, key in ipairs(KEYS) do
  if redis.call('GET', key) == ARGV[1] then
    redis.call('PEXPIRE', key, ARGV[2]) redis.call('ZADD', ARGV[3], now + tonumber(ARGV[2]), ARGV[i + 3])
  else table.insert(lost, ARGV[i + 3]) end
end
return lost`

const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('DEL', KEYS[1]) redis.call('ZREM', KEYS[2], ARGV[2]) return 1 end
return 0`

// Mail needs a wake-up only when nobody holds the lease and no wake-up is already pending.
const CLAIM_WAKE = `if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
if redis.call('SET', KEYS[2], '1', 'NX', 'PX', ARGV[1]) then return 1 end
return 0`

// Claims (removes from the index) conversations whose lease has expired, so exactly one reaper recovers each.
const REAP = `${NOW_MS}
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, tonumber(ARGV[2]))
local claimed = {}
for _, id in ipairs(due) do
  if redis.call('EXISTS', ARGV[1] .. id) == 0 then redis.call('ZREM', KEYS[1], id) table.insert(claimed, id) end
end
return claimed`

export interface Leases {
  acquire(conversationId: string): Promise<boolean>
  /** Renews every lease in one round trip; returns the ids whose lease was lost. */
  renew(conversationIds: string[]): Promise<string[]>
  release(conversationId: string): Promise<void>
  /** Conversations whose owner stopped renewing: the caller must re-activate them. */
  reapExpired(limit?: number): Promise<string[]>
  isHeld(conversationId: string): Promise<boolean>
  /**
   * True when the caller must wake the conversation: no owner, and no wake-up pending. A pending wake-up
   * is cleared by `clearWake` when its activation starts, before that activation checks the lease, so
   * mail that arrives after the check always gets a wake-up of its own.
   */
  claimWake(conversationId: string): Promise<boolean>
  clearWake(conversationId: string): Promise<void>
}

// A wake-up lost with its job (Redis failover) stops suppressing new ones after this long.
const WAKE_TTL_MS = 30_000

export function createLeases(redis: Redis, prefix: string, ownerId: string, ttlMs: number): Leases {
  const index = names.leaseIndex(prefix)
  const key = (id: string) => names.lease(prefix, id)
  const wakeKey = (id: string) => `${prefix}:wake:${id}`
  const run = {
    acquire: defineScript(redis, 'lease_acquire', ACQUIRE),
    renew: defineScript(redis, 'lease_renew_all', RENEW_ALL),
    release: defineScript(redis, 'lease_release', RELEASE),
    reap: defineScript(redis, 'lease_reap', REAP),
    claimWake: defineScript(redis, 'lease_claim_wake', CLAIM_WAKE),
  }
  return {
    async acquire(id) {
      return (await run.acquire([key(id), index], [ownerId, ttlMs, id])) === 1
    },
    async renew(ids) {
      if (ids.length === 0) return []
      return (await run.renew(ids.map(key), [ownerId, ttlMs, index, ...ids])) as string[]
    },
    async release(id) {
      await run.release([key(id), index], [ownerId, id])
    },
    async reapExpired(limit = 200) {
      return (await run.reap([index], [names.lease(prefix, ''), limit])) as string[]
    },
    async isHeld(id) {
      return (await redis.exists(key(id))) === 1
    },
    async claimWake(id) {
      return (await run.claimWake([key(id), wakeKey(id)], [WAKE_TTL_MS])) === 1
    },
    async clearWake(id) {
      await redis.del(wakeKey(id))
    },
  }
}
