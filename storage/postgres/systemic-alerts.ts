// Systemic issues in storage: recent conversations counted per cluster (intent, failing tool, complaint term) and
// per window, and the alerts: at most one firing per tenant and cluster, opened, refreshed and resolved.
import type { Sql } from './client.ts'

export interface ClusterWindowCount { kind: 'intent' | 'tool_error' | 'complaint'; value: string; window: number; n: number; examples: string[] }

export interface SystemicAlert {
  id: number; key: string; kind: string; value: string; status: 'firing' | 'resolved'; count: number; baseline: number
  examples: string[]; startedAt: Date; resolvedAt: Date | null
}

const alertColumns = (sql: Sql) => sql`id, key, kind, value, status, count, baseline, examples, started_at as "startedAt", resolved_at as "resolvedAt"`

export function createSystemicAlerts(sql: Sql) {
  return {
    /**
     * Counts per cluster in `windows` windows of `windowMs` ending at `now`; window 0 is the latest. Complaint terms
     * are matched case-insensitively in customer messages.
     */
    async clusterCounts(tenantId: string, now: Date, windowMs: number, windows: number, terms: string[]): Promise<ClusterWindowCount[]> {
      const since = new Date(now.getTime() - windowMs * windows)
      return sql<ClusterWindowCount[]>`
        with events as (
          select 'intent' as kind, t.intent as value, t.created_at as at, t.conversation_id from turn_facts t
            join conversations c on c.id = t.conversation_id
            where c.tenant_id = ${tenantId} and t.intent is not null and t.created_at >= ${since} and t.created_at < ${now}
          union all
          select 'tool_error', x.tool, x.created_at, x.conversation_id from tool_calls x join conversations c on c.id = x.conversation_id
            where c.tenant_id = ${tenantId} and x.ok = false and x.created_at >= ${since} and x.created_at < ${now}
          union all
          select 'complaint', term, m.created_at, m.conversation_id from messages m join conversations c on c.id = m.conversation_id
            cross join unnest(${terms}::text[]) term
            where c.tenant_id = ${tenantId} and m.role = 'customer' and m.created_at >= ${since} and m.created_at < ${now}
              and position(term in lower(m.text)) > 0)
        select kind, value, floor(extract(epoch from (${now}::timestamptz - at)) * 1000 / ${windowMs})::int as window, count(*)::int as n,
          (array_agg(distinct conversation_id))[1:3] as examples
        from events group by kind, value, 3`
    },
    async firing(tenantId: string): Promise<SystemicAlert[]> {
      return sql<SystemicAlert[]>`select ${alertColumns(sql)} from systemic_alerts where tenant_id = ${tenantId} and status = 'firing'`
    },
    /** Opens an alert; undefined when one is already firing for the key (another worker opened it). */
    async open(tenantId: string, a: { key: string; kind: string; value: string; count: number; baseline: number; examples: string[]; at: Date }): Promise<SystemicAlert | undefined> {
      const [row] = await sql<SystemicAlert[]>`insert into systemic_alerts (tenant_id, key, kind, value, status, count, baseline, examples, started_at)
        values (${tenantId}, ${a.key}, ${a.kind}, ${a.value}, 'firing', ${a.count}, ${a.baseline}, ${a.examples}, ${a.at})
        on conflict (tenant_id, key) where status = 'firing' do nothing returning ${alertColumns(sql)}`
      return row
    },
    async refresh(tenantId: string, key: string, count: number, examples: string[]): Promise<void> {
      await sql`update systemic_alerts set count = ${count}, examples = ${examples}, updated_at = now()
        where tenant_id = ${tenantId} and key = ${key} and status = 'firing'`
    },
    /** Resolves the firing alert of the key; undefined when none was firing (another worker resolved it). */
    async resolve(tenantId: string, key: string, at: Date): Promise<SystemicAlert | undefined> {
      const [row] = await sql<SystemicAlert[]>`update systemic_alerts set status = 'resolved', resolved_at = ${at}, updated_at = now()
        where tenant_id = ${tenantId} and key = ${key} and status = 'firing' returning ${alertColumns(sql)}`
      return row
    },
    /** Firing alerts across tenants by kind, for the metrics. */
    async firingCounts(): Promise<Array<{ kind: string; firing: number }>> {
      return sql`select kind, count(*)::int as firing from systemic_alerts where status = 'firing' group by kind order by kind`
    },
    async list(tenantId: string, limit: number): Promise<SystemicAlert[]> {
      return sql<SystemicAlert[]>`select ${alertColumns(sql)} from systemic_alerts where tenant_id = ${tenantId}
        order by status = 'firing' desc, started_at desc limit ${limit}`
    },
  }
}
export type SystemicAlerts = ReturnType<typeof createSystemicAlerts>
