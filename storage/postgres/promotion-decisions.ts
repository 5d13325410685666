// Every promotion decision, granted, refused or an automatic demotion: the agent and conversation type (null: the
// agent as a whole), the levels, the suite and run it read, who decided, the policy version in force, the
// thresholds and what was measured. And the level each (agent, conversation type) holds, which only these
// decisions change: a promotion through a suite raises it, a KPI check lowers it.
import type { Sql } from './client.ts'

export type MaturityLevel = 'assist' | 'execute' | 'operate'

export interface PromotionDecision {
  id: number
  agent: string
  /** The conversation type (intent) the decision is about; null: the agent as a whole (its `spec.mode`). */
  conversationType: string | null
  fromMode: string
  toMode: string
  suite: string
  runId: string | null
  approver: string
  policy: string | null
  policyVersion: string | null
  thresholds: unknown
  measured: unknown
  outcome: 'promoted' | 'refused' | 'demoted'
  reasons: string[]
  agentVersion: number | null
  decidedAt: Date
}

export type NewDecision = Omit<PromotionDecision, 'id' | 'decidedAt'>

/** The level an agent holds for one conversation type, and the decision that set it. */
export interface TypeMaturity {
  tenantId: string
  agent: string
  conversationType: string
  mode: MaturityLevel
  decisionId: number
  /** The suite of the decision that set the level: its floors are what the demotion check holds it to. */
  suite: string
  updatedAt: Date
}

const COLUMNS = `id, agent, conversation_type as "conversationType", from_mode as "fromMode", to_mode as "toMode", suite, run_id as "runId",
  approver, policy, policy_version as "policyVersion", thresholds, measured, outcome, reasons, agent_version as "agentVersion", decided_at as "decidedAt"`
const LEVEL_COLUMNS = `m.tenant_id as "tenantId", m.agent, m.conversation_type as "conversationType", m.mode, m.decision_id as "decisionId",
  d.suite, m.updated_at as "updatedAt"`

export function createPromotionDecisions(sql: Sql) {
  const insert = async (db: Sql, tenantId: string, d: NewDecision): Promise<PromotionDecision> => {
    const [row] = await db.unsafe<PromotionDecision[]>(`insert into promotion_decisions (tenant_id, agent, conversation_type, from_mode, to_mode,
        suite, run_id, approver, policy, policy_version, thresholds, measured, outcome, reasons, agent_version)
      values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) returning ${COLUMNS}`, [
      tenantId, d.agent, d.conversationType, d.fromMode, d.toMode, d.suite, d.runId, d.approver, d.policy, d.policyVersion,
      db.json(d.thresholds as never) as never, db.json(d.measured as never) as never, d.outcome, d.reasons as never, d.agentVersion,
    ])
    return row!
  }
  const setLevel = (db: Sql, tenantId: string, d: PromotionDecision) => db`insert into agent_type_maturity (tenant_id, agent, conversation_type, mode, decision_id)
      values (${tenantId}, ${d.agent}, ${d.conversationType}, ${d.toMode}, ${d.id})
      on conflict (tenant_id, agent, conversation_type) do update set mode = excluded.mode, decision_id = excluded.decision_id, updated_at = now()`
  return {
    /** Records a decision; a granted one about a conversation type sets that type's level in the same transaction. */
    async record(tenantId: string, d: NewDecision): Promise<PromotionDecision> {
      if (d.outcome !== 'promoted' || d.conversationType === null) return insert(sql, tenantId, d)
      return sql.begin(async (tx) => {
        const db = tx as unknown as Sql
        const row = await insert(db, tenantId, d)
        await setLevel(db, tenantId, row)
        return row
      })
    },
    /**
     * Lowers a type's level from `level.mode` to `d.toMode` and records why, once: a worker that finds the level
     * already changed (another worker demoted it, or a promotion moved it) records nothing and gets undefined.
     */
    async demote(level: Pick<TypeMaturity, 'tenantId' | 'agent' | 'conversationType' | 'mode' | 'decisionId'>, d: NewDecision): Promise<PromotionDecision | undefined> {
      return sql.begin(async (tx) => {
        const db = tx as unknown as Sql
        const [held] = await db`select 1 from agent_type_maturity where tenant_id = ${level.tenantId} and agent = ${level.agent}
          and conversation_type = ${level.conversationType} and mode = ${level.mode} and decision_id = ${level.decisionId} for update`
        if (!held) return undefined
        const row = await insert(db, level.tenantId, d)
        await setLevel(db, level.tenantId, row)
        return row
      })
    },
    /** An agent's decisions, newest first; of one conversation type when given. */
    async list(tenantId: string, agent: string, options: { conversationType?: string; limit?: number } = {}): Promise<PromotionDecision[]> {
      return sql.unsafe<PromotionDecision[]>(`select ${COLUMNS} from promotion_decisions where tenant_id = $1 and agent = $2
          and ($3::text is null or conversation_type = $3)
        order by decided_at desc, id desc limit $4`, [tenantId, agent, options.conversationType ?? null, options.limit ?? 50])
    },
    /** The tenant's latest decisions, every agent's, newest first (the console's list). */
    async recent(tenantId: string, limit = 50): Promise<PromotionDecision[]> {
      return sql.unsafe<PromotionDecision[]>(`select ${COLUMNS} from promotion_decisions where tenant_id = $1
        order by decided_at desc, id desc limit $2`, [tenantId, limit])
    },
    /** The levels an agent holds per conversation type. */
    async levels(tenantId: string, agent: string): Promise<TypeMaturity[]> {
      return sql.unsafe<TypeMaturity[]>(`select ${LEVEL_COLUMNS} from agent_type_maturity m join promotion_decisions d on d.id = m.decision_id
        where m.tenant_id = $1 and m.agent = $2 order by m.conversation_type`, [tenantId, agent])
    },
    /** The level of one (agent, conversation type), if the gate ever set one. */
    async level(tenantId: string, agent: string, conversationType: string): Promise<TypeMaturity | undefined> {
      const [row] = await sql.unsafe<TypeMaturity[]>(`select ${LEVEL_COLUMNS} from agent_type_maturity m join promotion_decisions d on d.id = m.decision_id
        where m.tenant_id = $1 and m.agent = $2 and m.conversation_type = $3`, [tenantId, agent, conversationType])
      return row
    },
    /** Every level above assist, of every tenant: what the demotion check watches. */
    async raised(): Promise<TypeMaturity[]> {
      return sql.unsafe<TypeMaturity[]>(`select ${LEVEL_COLUMNS} from agent_type_maturity m join promotion_decisions d on d.id = m.decision_id
        where m.mode <> 'assist' order by m.tenant_id, m.agent, m.conversation_type`)
    },
  }
}
export type PromotionDecisions = ReturnType<typeof createPromotionDecisions>
