// Ownership leases in Redis: at most one worker owns an active conversation. Each lease is a key with a
// TTL plus an entry in an index sorted by expiry, so survivors can find the conversations of a dead owner.
// The lease is the only ownership record: mailbox job locks are not renewed (see mailbox-jobs.ts).
import type Redis from 'ioredis'
import { names } from './names.ts'
import { defineScript } from '../lib/redis-script.ts'

// Scores use Redis's own clock (TIME), so workers with skewed clocks agree on what has expired.
const NOW_MS = `local t = redis.call('TIME') local now = t[1] * 1000 + math.floor(t[2] / 1000)`

// Clears the pending wake-up in the same step: mail sent before it is fetched by this activation, mail sent
// after it rings the owner's doorbell.
const ACQUIRE = `${NOW_MS}
redis.call('DEL', KEYS[3])
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
  redis.call('ZADD', KEYS[2], now + tonumber(ARGV[2]), ARGV[3]) return 1 end
return 0`

// Renews every lease this owner holds in one call; returns the ids whose lease was lost. While the epoch key
// (ARGV[4]) is missing, Redis has lost its data and not yet been recovered: the owner claims its leases again,
// so no second worker starts a turn of a conversation whose turn is still running here.
const RENEW_ALL = `${NOW_MS}
local lost = {}
local reclaim = redis.call('EXISTS', ARGV[4]) == 0
for i, key in ipairs(KEYS) do
  local id = ARGV[i + 4]
  local holder = redis.call('GET', key)
  if holder == ARGV[1] then redis.call('PEXPIRE', key, ARGV[2])
  elseif reclaim and not holder then redis.call('SET', key, ARGV[1], 'PX', ARGV[2])
  else table.insert(lost, id) end
  if holder == ARGV[1] or (reclaim and not holder) then redis.call('ZADD', ARGV[3], now + tonumber(ARGV[2]), id) end
end
return lost`

const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('DEL', KEYS[1]) redis.call('ZREM', KEYS[2], ARGV[2]) return 1 end
return 0`

// New mail rings the owner's doorbell (a list per worker process, ARGV[2] .. owner); without an owner it needs
// a wake-up (returns 1), unless one is already pending.
const RING = `local owner = redis.call('GET', KEYS[1])
if owner then
  local bell = ARGV[2] .. owner
  redis.call('RPUSH', bell, ARGV[3]) redis.call('PEXPIRE', bell, ARGV[4]) return 0 end
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
   * Tells the owner about new mail (its doorbell), or returns true when the caller must wake the conversation:
   * no owner and no wake-up pending. `acquire` clears the pending wake-up in the same step as it takes the
   * lease, so mail sent after that step always rings the new owner.
   */
  ring(conversationId: string): Promise<boolean>
  /** Drops a pending wake-up without taking the lease (an activation for an actor that is active already). */
  clearWake(conversationId: string): Promise<void>
}

// A wake-up lost with its job (Redis failover) stops suppressing new ones after this long.
const WAKE_TTL_MS = 30_000
// A doorbell outlives its owner only briefly: rings for a dead owner are of no use once its leases expire.
const DOORBELL_TTL_MS = 60_000

export function createLeases(redis: Redis, prefix: string, ownerId: string, ttlMs: number): Leases {
  const index = names.leaseIndex(prefix)
  const key = (id: string) => names.lease(prefix, id)
  const wakeKey = (id: string) => names.wake(prefix, id)
  const run = {
    acquire: defineScript(redis, 'lease_acquire', ACQUIRE),
    renew: defineScript(redis, 'lease_renew_all', RENEW_ALL),
    release: defineScript(redis, 'lease_release', RELEASE),
    reap: defineScript(redis, 'lease_reap', REAP),
    ring: defineScript(redis, 'lease_ring', RING),
  }
  return {
    async acquire(id) {
      return (await run.acquire([key(id), index, wakeKey(id)], [ownerId, ttlMs, id])) === 1
    },
    async renew(ids) {
      if (ids.length === 0) return []
      return (await run.renew(ids.map(key), [ownerId, ttlMs, index, names.epoch(prefix), ...ids])) as string[]
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
    async ring(id) {
      return (await run.ring([key(id), wakeKey(id)], [WAKE_TTL_MS, names.doorbell(prefix, ''), id, DOORBELL_TTL_MS])) === 1
    },
    async clearWake(id) {
      await redis.del(wakeKey(id))
    },
  }
}
