// Model-routing state shared by every worker process: per-provider circuit breakers, Retry-After cool-downs,
// request/token rate limits (fixed windows on Redis time) and budget counters. Each check is one Lua script, so
// it is atomic across processes and costs one round trip; windows and failure times use Redis's clock, not ours.
import type Redis from 'ioredis'
import { defineScript } from '../../lib/redis-script.ts'

/** The part of a provider's routing settings this state needs. */
export interface ProviderLimits {
  breaker: { failureThreshold: number; windowMs: number; openMs: number }
  rate: { requestsPerMinute?: number; tokensPerMinute?: number; windowMs: number }
}

export type BreakerState = 'closed' | 'open' | 'half_open'
export type RoutingAdmission =
  | { ok: true; probe: boolean; window: number }
  | { ok: false; reason: 'circuit_open' | 'cooling_down' | 'rate_limited'; retryAfterMs: number }

/** Whose budgets a read or charge touches; without a conversation (or customer) id, only the tenant's. */
export interface BudgetSubject {
  tenantId: string
  conversationId?: string
  customerId?: string
}
export type BudgetSpend = Partial<Record<'conversation' | 'customerDay' | 'tenantDay' | 'tenantMonth', number>>

const NOW = `local t = redis.call('TIME') local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)`

// KEYS: open, tripped, probe, cooldown, rate base. ARGV: rpm, tpm, windowMs, tokens, probeTtlMs.
// An open circuit refuses; a tripped one whose open period ran out lets exactly one probe through (SET NX).
const ADMIT = `${NOW}
if redis.call('EXISTS', KEYS[1]) == 1 then return {0, 'circuit_open', redis.call('PTTL', KEYS[1])} end
local probe = 0
if redis.call('EXISTS', KEYS[2]) == 1 then
  if not redis.call('SET', KEYS[3], '1', 'NX', 'PX', ARGV[5]) then return {0, 'circuit_open', math.max(redis.call('PTTL', KEYS[3]), 1)} end
  probe = 1
end
local function refuse(reason, ms) if probe == 1 then redis.call('DEL', KEYS[3]) end return {0, reason, math.max(ms, 1)} end
local cool = redis.call('PTTL', KEYS[4])
if cool > 0 then return refuse('cooling_down', cool) end
local rpm, tpm, win, tokens = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local window = math.floor(now / win)
local left = (window + 1) * win - now
local rk, tk = KEYS[5] .. ':req:' .. window, KEYS[5] .. ':tok:' .. window
if rpm > 0 and tonumber(redis.call('GET', rk) or '0') >= rpm then return refuse('rate_limited', left) end
if tpm > 0 then
  local used = tonumber(redis.call('GET', tk) or '0')
  if used > 0 and used + tokens > tpm then return refuse('rate_limited', left) end
end
if rpm > 0 then redis.call('INCR', rk) redis.call('PEXPIRE', rk, win * 2) end
if tpm > 0 then redis.call('INCRBY', tk, tokens) redis.call('PEXPIRE', tk, win * 2) end
return {1, probe, window}`

// KEYS: tripped, probe, failures, rate base. ARGV: probe, window, tokenDelta.
const SUCCEEDED = `
if ARGV[1] == '1' then redis.call('DEL', KEYS[1], KEYS[2], KEYS[3]) end
local delta = tonumber(ARGV[3])
if delta ~= 0 and tonumber(ARGV[2]) >= 0 then
  local tk = KEYS[4] .. ':tok:' .. ARGV[2]
  if redis.call('EXISTS', tk) == 1 then redis.call('INCRBY', tk, delta) end
end
return 1`

// KEYS: open, tripped, probe, failures, cooldown. ARGV: probe, threshold, windowMs, openMs, cooldownMs, member.
// A failed probe re-opens at once; otherwise failures inside the window are counted until the threshold.
const FAILED = `${NOW}
if tonumber(ARGV[5]) > 0 then redis.call('SET', KEYS[5], '1', 'PX', ARGV[5]) end
if ARGV[1] == '1' then
  redis.call('SET', KEYS[1], '1', 'PX', ARGV[4]) redis.call('DEL', KEYS[3])
  return 'open'
end
if redis.call('EXISTS', KEYS[1]) == 1 then return 'open' end
redis.call('ZADD', KEYS[4], now, ARGV[6])
redis.call('ZREMRANGEBYSCORE', KEYS[4], '-inf', now - tonumber(ARGV[3]))
redis.call('PEXPIRE', KEYS[4], ARGV[3])
if redis.call('ZCARD', KEYS[4]) < tonumber(ARGV[2]) then return 'closed' end
redis.call('SET', KEYS[1], '1', 'PX', ARGV[4])
redis.call('SET', KEYS[2], '1', 'PX', ${24 * 3_600_000})
redis.call('DEL', KEYS[4])
return 'open'`

const DAY_S = 86_400
// Long enough to outlive its period (a day, a month, an idle conversation), short enough not to pile up.
const BUDGET_TTL_S = { conversation: 30 * DAY_S, customerDay: 2 * DAY_S, tenantDay: 2 * DAY_S, tenantMonth: 62 * DAY_S } as const

/**
 * @example
 * const state = createRoutingState(storageRedis, config.redis.prefix)
 * const gateway = createRoutingGateway({ policy: file.current, providers, state })
 */
export function createRoutingState(redis: Redis, prefix: string) {
  // One hash tag per provider: every key a script touches sits in one Redis Cluster slot.
  const keys = (provider: string) => {
    const base = `${prefix}:routing:{${provider}}`
    return { open: `${base}:open`, tripped: `${base}:tripped`, probe: `${base}:probe`, failures: `${base}:failures`, cooldown: `${base}:cooldown`, rate: `${base}:rate` }
  }
  const admit = defineScript(redis, 'routing_admit', ADMIT)
  const succeeded = defineScript(redis, 'routing_succeeded', SUCCEEDED)
  const failed = defineScript(redis, 'routing_failed', FAILED)
  return {
    async admit(provider: string, settings: ProviderLimits, tokens: number): Promise<RoutingAdmission> {
      const k = keys(provider)
      const { rate, breaker } = settings
      const reply = (await admit([k.open, k.tripped, k.probe, k.cooldown, k.rate],
        [rate.requestsPerMinute ?? 0, rate.tokensPerMinute ?? 0, rate.windowMs, Math.max(0, Math.round(tokens)), breaker.openMs])) as [number, number | string, number]
      if (reply[0] === 1) return { ok: true, probe: reply[1] === 1, window: reply[2] }
      return { ok: false, reason: reply[1] as 'circuit_open' | 'cooling_down' | 'rate_limited', retryAfterMs: reply[2] }
    },
    async succeeded(provider: string, call: { probe: boolean; window: number; tokenDelta: number }): Promise<void> {
      const k = keys(provider)
      await succeeded([k.tripped, k.probe, k.failures, k.rate], [call.probe ? '1' : '0', call.window, Math.round(call.tokenDelta)])
    },
    async failed(provider: string, settings: ProviderLimits, call: { probe: boolean; retryAfterMs?: number }): Promise<BreakerState> {
      const k = keys(provider)
      const { failureThreshold, windowMs, openMs } = settings.breaker
      const args = [call.probe ? '1' : '0', failureThreshold, windowMs, openMs, Math.round(call.retryAfterMs ?? 0), crypto.randomUUID()]
      return (await failed([k.open, k.tripped, k.probe, k.failures, k.cooldown], args)) as BreakerState
    },
    async breakerState(provider: string): Promise<BreakerState> {
      const k = keys(provider)
      const [open, tripped] = await Promise.all([redis.exists(k.open), redis.exists(k.tripped)])
      return open ? 'open' : tripped ? 'half_open' : 'closed'
    },
    async spent(subject: BudgetSubject, at: number): Promise<BudgetSpend> {
      const entries = budgetKeys(prefix, subject, at)
      const values = await redis.mget(...entries.map(([, key]) => key))
      return Object.fromEntries(entries.map(([scope], i) => [scope, Number(values[i] ?? 0)]))
    },
    async charge(subject: BudgetSubject, at: number, usd: number): Promise<void> {
      const tx = redis.multi()
      for (const [scope, key] of budgetKeys(prefix, subject, at)) tx.incrbyfloat(key, usd).expire(key, BUDGET_TTL_S[scope])
      await tx.exec()
    },
  }
}
export type RoutingState = ReturnType<typeof createRoutingState>

type Scope = keyof typeof BUDGET_TTL_S

/** Budget counter keys for the UTC day and month containing `at`; the conversation and customer scopes only with their ids. */
function budgetKeys(prefix: string, s: BudgetSubject, at: number): Array<[Scope, string]> {
  const iso = new Date(at).toISOString()
  const day = iso.slice(0, 10)
  const month = iso.slice(0, 7)
  const base = `${prefix}:budget`
  const out: Array<[Scope, string]> = [
    ['tenantDay', `${base}:tenant:${s.tenantId}:${day}`],
    ['tenantMonth', `${base}:tenant:${s.tenantId}:${month}`],
  ]
  if (s.conversationId) out.push(['conversation', `${base}:conversation:${s.conversationId}`])
  if (s.customerId) out.push(['customerDay', `${base}:customer:${s.tenantId}:${s.customerId}:${day}`])
  return out
}
