// Per-tenant request budgets shared by every API process: a fixed window counted in Redis, one script call
// per request, so the check is atomic and costs one round trip.
import type Redis from 'ioredis'
import { OUTAGE_RETRY_AFTER_MS, RetryableError } from '../../lib/errors.ts'
import { defineScript } from '../../lib/redis-script.ts'

// Every keyed request waits on this check, so an unreachable Redis must answer in about a second, not after the
// client's own reconnect attempts.
const CHECK_TIMEOUT_MS = 1000

export interface RateDecision {
  allowed: boolean
  /** When refused: how long until the window resets. */
  retryAfterMs: number
}

// INCR and the window's expiry together: a counter can never outlive its window.
const HIT = `local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
if n > tonumber(ARGV[2]) then
  local ttl = redis.call('PTTL', KEYS[1])
  if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) ttl = tonumber(ARGV[1]) end
  return ttl
end
return -1`

export function createRateLimiter(redis: Redis, prefix: string, windowMs = 1000) {
  const hit = defineScript(redis, 'rate_hit', HIT)
  return {
    /** Counts one request against `subject`'s budget of `limit` per window. */
    async hit(subject: string, limit: number): Promise<RateDecision> {
      if (redis.status !== 'ready') throw unavailable()
      const ttl = Number(await withTimeout(hit([`${prefix}:rate:${subject}`], [windowMs, limit]), CHECK_TIMEOUT_MS))
      return ttl < 0 ? { allowed: true, retryAfterMs: 0 } : { allowed: false, retryAfterMs: Math.max(ttl, 1) }
    },
  }
}
export type RateLimiter = ReturnType<typeof createRateLimiter>

const unavailable = () => new RetryableError('storage.unavailable', 'request budgets cannot be checked right now, retry shortly', OUTAGE_RETRY_AFTER_MS)

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(unavailable()), ms)))
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer))
}
