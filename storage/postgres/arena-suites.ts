// Named Arena suites: the thresholds a promotion must meet, and which agents' maturity they gate.
import type { Sql } from './client.ts'

export interface ArenaSuite {
  name: string
  thresholds: unknown
  gates: string[]
  updatedBy: string
  updatedAt: Date
}

const COLUMNS = `name, thresholds, gates, updated_by as "updatedBy", updated_at as "updatedAt"`

export function createArenaSuites(sql: Sql) {
  return {
    async put(tenantId: string, s: { name: string; thresholds: unknown; gates: string[]; by: string }): Promise<ArenaSuite> {
      const [row] = await sql.unsafe<ArenaSuite[]>(`insert into arena_suites (tenant_id, name, thresholds, gates, updated_by) values ($1, $2, $3, $4, $5)
        on conflict (tenant_id, name) do update set thresholds = excluded.thresholds, gates = excluded.gates,
          updated_by = excluded.updated_by, updated_at = now()
        returning ${COLUMNS}`, [tenantId, s.name, sql.json(s.thresholds as never) as never, s.gates as never, s.by])
      return row!
    },
    async get(tenantId: string, name: string): Promise<ArenaSuite | undefined> {
      const [row] = await sql.unsafe<ArenaSuite[]>(`select ${COLUMNS} from arena_suites where tenant_id = $1 and name = $2`, [tenantId, name])
      return row
    },
    /** The suites that gate an agent's maturity. */
    async gating(tenantId: string, agent: string): Promise<ArenaSuite[]> {
      return sql.unsafe<ArenaSuite[]>(`select ${COLUMNS} from arena_suites where tenant_id = $1 and $2 = any (gates) order by name`, [tenantId, agent])
    },
  }
}
export type ArenaSuites = ReturnType<typeof createArenaSuites>
