// API keys: minted here, stored only as sha256 hashes (keys are 192-bit random, so a plain hash suffices),
// scoped (channel, console, admin) and revocable. The plaintext leaves this module once, at creation.
import { createHash, randomBytes } from 'node:crypto'
import { AppError } from '../../lib/errors.ts'
import type { Sql } from './client.ts'

export type Scope = 'channel' | 'console' | 'admin'
export const SCOPES: readonly Scope[] = ['channel', 'console', 'admin']

export interface ApiKey {
  id: string
  tenantId: string
  prefix: string
  name: string
  scopes: Scope[]
  createdAt: Date
  revokedAt: Date | null
}

export interface IssuedKey {
  /** The plaintext key: shown once, never stored. */
  key: string
  record: ApiKey
}

const PREFIX_CHARS = 10

export const hashApiKey = (key: string): string => createHash('sha256').update(key).digest('hex')
const mintKey = (): string => `sb_${randomBytes(24).toString('base64url')}`

const columns = (sql: Sql) => sql`id, tenant_id as "tenantId", prefix, name, scopes, created_at as "createdAt",
  revoked_at as "revokedAt"`

export function createApiKeys(sql: Sql) {
  return {
    /** Mints a key for the tenant (or stores `value`, for the demo key); returns the plaintext once. */
    async issue(tenantId: string, scopes: Scope[], options: { name?: string; value?: string } = {}): Promise<IssuedKey> {
      const key = options.value ?? mintKey()
      const id = `key_${Bun.randomUUIDv7().replaceAll('-', '')}`
      const [record] = await sql<ApiKey[]>`insert into api_keys (id, tenant_id, hash, prefix, name, scopes)
        values (${id}, ${tenantId}, ${hashApiKey(key)}, ${key.slice(0, PREFIX_CHARS)}, ${options.name ?? ''}, ${scopes})
        on conflict (hash) do update set revoked_at = null, scopes = excluded.scopes
        where api_keys.tenant_id = excluded.tenant_id returning ${columns(sql)}`
      if (!record) throw new AppError('conflict', 'this key value belongs to another tenant')
      return { key, record }
    },
    /** The live key with this plaintext and its tenant's rate limit, or undefined (unknown or revoked). */
    async verify(key: string): Promise<(ApiKey & { rateLimitPerS: number | null }) | undefined> {
      const [row] = await sql<(ApiKey & { rateLimitPerS: number | null })[]>`select k.id, k.tenant_id as "tenantId",
        k.prefix, k.name, k.scopes, k.created_at as "createdAt", k.revoked_at as "revokedAt", t.rate_limit_per_s as "rateLimitPerS"
        from api_keys k join tenants t on t.id = k.tenant_id where k.hash = ${hashApiKey(key)} and k.revoked_at is null`
      return row
    },
    async list(tenantId: string): Promise<ApiKey[]> {
      return sql<ApiKey[]>`select ${columns(sql)} from api_keys where tenant_id = ${tenantId} order by created_at`
    },
    /** Revokes the tenant's key; false when the tenant has no such key. */
    async revoke(tenantId: string, id: string): Promise<boolean> {
      const rows = await sql`update api_keys set revoked_at = coalesce(revoked_at, now())
        where tenant_id = ${tenantId} and id = ${id} returning id`
      return rows.length === 1
    },
    async countLive(tenantId: string): Promise<number> {
      const [row] = await sql<{ n: number }[]>`select count(*)::int as n from api_keys
        where tenant_id = ${tenantId} and revoked_at is null`
      return row?.n ?? 0
    },
  }
}
export type ApiKeys = ReturnType<typeof createApiKeys>
