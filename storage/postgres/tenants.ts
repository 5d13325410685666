// Tenants: who owns conversations, keys and webhooks, and the per-tenant rate limit override.
import type { Sql } from './client.ts'

export interface Tenant {
  id: string
  name: string
  rateLimitPerS: number | null
  createdAt: Date
}

export interface NewTenant {
  /** @defaultValue a generated `ten_…` id */
  id?: string
  name: string
  rateLimitPerS?: number
}

const columns = (sql: Sql) => sql`id, name, rate_limit_per_s as "rateLimitPerS", created_at as "createdAt"`

export function createTenants(sql: Sql) {
  return {
    /** Creates the tenant; returns undefined when the id is taken. */
    async create(t: NewTenant): Promise<Tenant | undefined> {
      const id = t.id ?? `ten_${Bun.randomUUIDv7().replaceAll('-', '')}`
      const [row] = await sql<Tenant[]>`insert into tenants (id, name, rate_limit_per_s)
        values (${id}, ${t.name}, ${t.rateLimitPerS ?? null}) on conflict (id) do nothing returning ${columns(sql)}`
      return row
    },
    /** Creates the tenant unless it exists; returns it either way. */
    async ensure(t: NewTenant & { id: string }): Promise<Tenant> {
      return (await this.create(t)) ?? (await this.get(t.id))!
    },
    async get(id: string): Promise<Tenant | undefined> {
      const [row] = await sql<Tenant[]>`select ${columns(sql)} from tenants where id = ${id}`
      return row
    },
    async list(): Promise<Tenant[]> {
      return sql<Tenant[]>`select ${columns(sql)} from tenants order by created_at`
    },
  }
}
export type Tenants = ReturnType<typeof createTenants>
