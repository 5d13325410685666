// Ownership leases in Redis: at most one worker owns an active conversation. Each lease is a key with a
// TTL plus an entry in an index sorted by expiry, so survivors can find the conversations of a dead owner.
// The lease is the only ownership record: mailbox job locks are not renewed (see mailbox-jobs.ts).
// Activation requests are the same conversations' ids in a list: a worker claims them and takes their leases in one
// script, so an id is never taken off the list without a lease that outlives the worker's crash (the reaper then
// wakes the conversation again). A marker in a second list (the activation bell) wakes one idle worker's blocking read.
import type Redis from 'ioredis'
import { names } from './names.ts'
import { defineScript } from '../lib/redis-script.ts'
import { REQUEUE_IN_FLIGHT_LUA } from './takeover.ts'

// Scores use Redis's own clock (TIME), so workers with skewed clocks agree on what has expired.
const NOW_MS = `local t = redis.call('TIME') local now = t[1] * 1000 + math.floor(t[2] / 1000)`

// Wakes a conversation: its id joins the activation requests, and the bell rings unless a marker already waits.
// Whoever claims the id clears the pending wake-up (KEYS[1]) in the same step as it takes the lease.
const WAKE_LUA = `local function wake(pending, bell, wake_key, id, wake_ttl)
  redis.call('SET', wake_key, '1', 'PX', wake_ttl)
  redis.call('RPUSH', pending, id)
  if redis.call('LLEN', bell) == 0 then redis.call('RPUSH', bell, '1') end
end`

// Claims up to ARGV[3] activation requests: for each id, the pending wake-up goes, and the lease is taken unless
// someone holds it (this owner: the id comes back as `local`, to be rung; another: its owner fetches the mail).
// A taken lease puts the previous owner's in-flight mail back in front of the mailbox (takeover.ts), in the same
// step. Returns the claimed ids, the local ones, and how many requests are left (a marker rings for them).
const CLAIM = `${NOW_MS}
${REQUEUE_IN_FLIGHT_LUA}
local claimed, here = {}, {}
local n = tonumber(ARGV[3])
while #claimed + #here < n do
  local id = redis.call('LPOP', KEYS[1])
  if not id then break end
  redis.call('DEL', ARGV[4] .. id)
  local lease = ARGV[5] .. id
  local holder = redis.call('GET', lease)
  if holder == ARGV[1] then table.insert(here, id)
  elseif not holder then
    redis.call('SET', lease, ARGV[1], 'PX', ARGV[2])
    redis.call('ZADD', KEYS[3], now + tonumber(ARGV[2]), id)
    requeue_in_flight(ARGV[6] .. id .. ':')
    table.insert(claimed, id)
  end
end
local left = redis.call('LLEN', KEYS[1])
if left > 0 and redis.call('LLEN', KEYS[2]) == 0 then redis.call('RPUSH', KEYS[2], '1') end
return {claimed, here, left}`

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

// Gives the lease up; mail that arrived meanwhile (rung to this owner, who no longer fetches) is handed back
// through a new activation request in the same step. Returns 1 when it did.
const RELEASE = `${WAKE_LUA}
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) redis.call('ZREM', KEYS[2], ARGV[2]) end
if redis.call('LLEN', ARGV[3] .. 'wait') > 0 then wake(KEYS[3], KEYS[4], ARGV[4], ARGV[2], ARGV[5]) return 1 end
return 0`

// New mail rings the owner's doorbell (a list per worker process, ARGV[2] .. owner); without an owner it wakes the
// conversation (returns 1), unless a wake-up is already pending.
const RING = `${WAKE_LUA}
local owner = redis.call('GET', KEYS[1])
if owner then
  local bell = ARGV[2] .. owner
  redis.call('RPUSH', bell, ARGV[3]) redis.call('PEXPIRE', bell, ARGV[4]) return 0 end
if redis.call('EXISTS', KEYS[2]) == 1 then return 0 end
wake(KEYS[3], KEYS[4], KEYS[2], ARGV[3], ARGV[1])
return 1`

const WAKE = `${WAKE_LUA}
wake(KEYS[2], KEYS[3], KEYS[1], ARGV[1], ARGV[2])`

// Claims (removes from the index) conversations whose lease has expired, so exactly one reaper recovers each.
const REAP = `${NOW_MS}
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, tonumber(ARGV[2]))
local claimed = {}
for _, id in ipairs(due) do
  if redis.call('EXISTS', ARGV[1] .. id) == 0 then redis.call('ZREM', KEYS[1], id) table.insert(claimed, id) end
end
return claimed`

export interface Leases {
  /**
   * Claims up to `max` activation requests, taking their leases (and the in-flight mail of a dead previous owner)
   * in the same step. `local`: requested conversations this owner already holds. `left`: requests still waiting.
   */
  claim(max: number): Promise<{ claimed: string[]; local: string[]; left: number }>
  /** Renews every lease in one round trip; returns the ids whose lease was lost. */
  renew(conversationIds: string[]): Promise<string[]>
  /** Gives the lease up; mail that came meanwhile is handed back through a new activation request. */
  release(conversationId: string): Promise<void>
  /** Conversations whose owner stopped renewing: the caller must re-activate them. */
  reapExpired(limit?: number): Promise<string[]>
  /**
   * Tells the owner about new mail (its doorbell), or wakes the conversation (an activation request) when there is no
   * owner and no wake-up pending. A claim clears the pending wake-up in the same step as it takes the lease, so mail
   * sent after that step always rings the new owner.
   */
  ring(conversationId: string): Promise<void>
  /** Requests an activation whatever is pending (hand-back, recovery): a duplicate request is claimed as a no-op. */
  wake(conversationId: string): Promise<void>
  /** Activation requests no worker has claimed yet. */
  pending(): Promise<number>
}

// A wake-up lost with its request (Redis failover) stops suppressing new ones after this long.
const WAKE_TTL_MS = 30_000
// A doorbell outlives its owner only briefly: rings for a dead owner are of no use once its leases expire.
const DOORBELL_TTL_MS = 60_000

export function createLeases(redis: Redis, prefix: string, ownerId: string, ttlMs: number): Leases {
  const index = names.leaseIndex(prefix)
  const key = (id: string) => names.lease(prefix, id)
  const wakeKey = (id: string) => names.wake(prefix, id)
  const pending = names.activationRequests(prefix)
  const bell = names.activationBell(prefix)
  // A mailbox queue's key prefix (`<prefix>:mailbox-<id>:`); the claim script completes it per id.
  const mailboxBase = (id: string) => `${prefix}:${names.mailbox(id)}:`
  const mailboxesBase = `${prefix}:${names.mailbox('')}`
  const run = {
    claim: defineScript(redis, 'lease_claim', CLAIM),
    renew: defineScript(redis, 'lease_renew_all', RENEW_ALL),
    release: defineScript(redis, 'lease_release', RELEASE),
    reap: defineScript(redis, 'lease_reap', REAP),
    ring: defineScript(redis, 'lease_ring', RING),
    wake: defineScript(redis, 'lease_wake', WAKE),
  }
  return {
    async claim(max) {
      const [claimed, local, left] = (await run.claim([pending, bell, index], [
        ownerId, ttlMs, max, names.wake(prefix, ''), names.lease(prefix, ''), mailboxesBase,
      ])) as [string[], string[], number]
      return { claimed, local, left }
    },
    async renew(ids) {
      if (ids.length === 0) return []
      return (await run.renew(ids.map(key), [ownerId, ttlMs, index, names.epoch(prefix), ...ids])) as string[]
    },
    async release(id) {
      await run.release([key(id), index, pending, bell], [ownerId, id, mailboxBase(id), wakeKey(id), WAKE_TTL_MS])
    },
    async reapExpired(limit = 200) {
      return (await run.reap([index], [names.lease(prefix, ''), limit])) as string[]
    },
    async ring(id) {
      await run.ring([key(id), wakeKey(id), pending, bell], [WAKE_TTL_MS, names.doorbell(prefix, ''), id, DOORBELL_TTL_MS])
    },
    async wake(id) {
      await run.wake([wakeKey(id), pending, bell], [id, WAKE_TTL_MS])
    },
    pending: () => redis.llen(pending),
  }
}
