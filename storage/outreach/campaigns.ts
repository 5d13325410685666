// Every Campaign in force, across tenants: what the schedulers and the event dispatcher act on. Read from the
// versioned resource store (the newest version of each, deletions left out).
import type { Sql } from '../postgres/client.ts'

export interface CampaignInForce {
  tenantId: string
  name: string
  version: number
  spec: Record<string, unknown>
}

export async function campaignsInForce(sql: Sql): Promise<CampaignInForce[]> {
  const rows = await sql<(CampaignInForce & { spec: Record<string, unknown> | null })[]>`select * from (
      select distinct on (tenant_id, name) tenant_id as "tenantId", name, version, spec from resource_versions
      where kind = 'Campaign' order by tenant_id, name, version desc) v
    where spec is not null order by "tenantId", name`
  return rows as CampaignInForce[]
}
