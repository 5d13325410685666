// What a customer agreed to: opt-in or opt-out per channel, the tenant's suppression list, and a customer's
// own time zone for quiet hours. Each consent change records its source (`api`, `reply:<delivery id>`).
import type { Sql } from '../postgres/client.ts'

export interface ConsentRecord {
  customerRef: string
  channel: string
  status: 'in' | 'out'
  source: string
  updatedAt: Date
}

export function createConsent(sql: Sql) {
  return {
    async set(tenantId: string, customerRef: string, channel: string, status: 'in' | 'out', source: string): Promise<void> {
      await sql`insert into outreach_consent (tenant_id, customer_ref, channel, status, source)
        values (${tenantId}, ${customerRef}, ${channel}, ${status}, ${source})
        on conflict (tenant_id, customer_ref, channel) do update set status = excluded.status, source = excluded.source, updated_at = now()`
    },
    async list(tenantId: string, customerRef: string): Promise<ConsentRecord[]> {
      return sql<ConsentRecord[]>`select customer_ref as "customerRef", channel, status, source, updated_at as "updatedAt"
        from outreach_consent where tenant_id = ${tenantId} and customer_ref = ${customerRef} order by channel`
    },
    /** Addresses are compared lower-cased (emails) as the audience query compares them. */
    async suppress(tenantId: string, address: string, reason: string | null): Promise<void> {
      await sql`insert into outreach_suppressions (tenant_id, address, reason) values (${tenantId}, ${address.trim().toLowerCase()}, ${reason})
        on conflict (tenant_id, address) do update set reason = excluded.reason`
    },
    async unsuppress(tenantId: string, address: string): Promise<boolean> {
      const rows = await sql`delete from outreach_suppressions where tenant_id = ${tenantId} and address = ${address.trim().toLowerCase()} returning 1`
      return rows.length > 0
    },
    async suppressions(tenantId: string): Promise<Array<{ address: string; reason: string | null; createdAt: Date }>> {
      return sql`select address, reason, created_at as "createdAt" from outreach_suppressions where tenant_id = ${tenantId} order by address`
    },
    async setTimeZone(tenantId: string, customerRef: string, timeZone: string): Promise<void> {
      await sql`insert into outreach_time_zones (tenant_id, customer_ref, time_zone) values (${tenantId}, ${customerRef}, ${timeZone})
        on conflict (tenant_id, customer_ref) do update set time_zone = excluded.time_zone`
    },
  }
}
export type Consent = ReturnType<typeof createConsent>
