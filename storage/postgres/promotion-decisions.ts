// Every promotion decision, granted or refused: the agent, the levels, the suite and run it read, who asked,
// the policy version in force, the thresholds and what was measured.
import type { Sql } from './client.ts'

export interface PromotionDecision {
  id: number
  agent: string
  fromMode: string
  toMode: string
  suite: string
  runId: string | null
  approver: string
  policy: string | null
  policyVersion: string | null
  thresholds: unknown
  measured: unknown
  outcome: 'promoted' | 'refused'
  reasons: string[]
  agentVersion: number | null
  decidedAt: Date
}

const COLUMNS = `id, agent, from_mode as "fromMode", to_mode as "toMode", suite, run_id as "runId", approver, policy,
  policy_version as "policyVersion", thresholds, measured, outcome, reasons, agent_version as "agentVersion", decided_at as "decidedAt"`

export function createPromotionDecisions(sql: Sql) {
  return {
    async record(tenantId: string, d: Omit<PromotionDecision, 'id' | 'decidedAt'>): Promise<PromotionDecision> {
      const [row] = await sql.unsafe<PromotionDecision[]>(`insert into promotion_decisions (tenant_id, agent, from_mode, to_mode, suite, run_id,
          approver, policy, policy_version, thresholds, measured, outcome, reasons, agent_version)
        values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) returning ${COLUMNS}`, [
        tenantId, d.agent, d.fromMode, d.toMode, d.suite, d.runId, d.approver, d.policy, d.policyVersion,
        sql.json(d.thresholds as never) as never, sql.json(d.measured as never) as never, d.outcome, d.reasons as never, d.agentVersion,
      ])
      return row!
    },
    async list(tenantId: string, agent: string, limit = 50): Promise<PromotionDecision[]> {
      return sql.unsafe<PromotionDecision[]>(`select ${COLUMNS} from promotion_decisions where tenant_id = $1 and agent = $2
        order by decided_at desc, id desc limit $3`, [tenantId, agent, limit])
    },
  }
}
export type PromotionDecisions = ReturnType<typeof createPromotionDecisions>
