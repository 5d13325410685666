// Who is calling: a tenant's API key (hashed, cached briefly so the hot path skips Postgres) or the operator's
// admin token. Keys are looked up by hash only and never logged.
import { timingSafeEqual, createHash } from 'node:crypto'
import type { ApiKeys, Scope } from '../storage/index.ts'

export interface TenantPrincipal {
  kind: 'tenant'
  tenantId: string
  keyId: string
  scopes: Scope[]
  rateLimitPerS: number
}

export interface OperatorPrincipal {
  kind: 'operator'
}

/** A browser or app holding a conversation-scoped customer token: one conversation, the channel's reach. */
export interface CustomerPrincipal {
  kind: 'customer'
  tenantId: string
  conversationId: string
  rateLimitPerS: number
}

export type Principal = TenantPrincipal | OperatorPrincipal | CustomerPrincipal

export interface KeyResolver {
  resolve(key: string): Promise<TenantPrincipal | undefined>
  /** Drops a revoked key from this process's cache at once (other processes drop it within the TTL). */
  forget(keyId: string): void
}

export function createKeyResolver(apiKeys: Pick<ApiKeys, 'verify'>, ttlMs: number, defaultRatePerS: number): KeyResolver {
  const cache = new Map<string, { principal: TenantPrincipal; expires: number }>()
  const MAX_ENTRIES = 10_000
  return {
    async resolve(key) {
      const hit = cache.get(key)
      if (hit && hit.expires > Date.now()) return hit.principal
      const record = await apiKeys.verify(key)
      if (!record) return void cache.delete(key)
      const principal: TenantPrincipal = {
        kind: 'tenant', tenantId: record.tenantId, keyId: record.id, scopes: record.scopes,
        rateLimitPerS: record.rateLimitPerS ?? defaultRatePerS,
      }
      if (cache.size >= MAX_ENTRIES) cache.delete(cache.keys().next().value as string)
      if (ttlMs > 0) cache.set(key, { principal, expires: Date.now() + ttlMs })
      return principal
    },
    forget(keyId) {
      for (const [key, entry] of cache) if (entry.principal.keyId === keyId) cache.delete(key)
    },
  }
}

/** Constant-time comparison of the operator token (hashing first equalises the lengths). */
export function isOperatorToken(given: string, expected: string | undefined): boolean {
  if (!expected) return false
  const digest = (s: string) => createHash('sha256').update(s).digest()
  return timingSafeEqual(digest(given), digest(expected))
}

/** True when the principal holds one of `anyOf`; `admin` holds every scope. */
export function hasScope(principal: TenantPrincipal, anyOf: readonly Scope[]): boolean {
  return principal.scopes.includes('admin') || anyOf.some((s) => principal.scopes.includes(s))
}
