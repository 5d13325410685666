// Arena runs and their trials. A trial is claimed by one runner at a time (SKIP LOCKED), finished once, and a
// run that was killed gives its unfinished claims back on resume; a finished trial is never claimed again.
import type { Sql } from './client.ts'

export type ArenaRunStatus = 'running' | 'done' | 'cost_ceiling' | 'failed'

export interface ArenaRun {
  id: string
  tenantId: string
  name: string
  suite: string | null
  spec: unknown
  status: ArenaRunStatus
  costCeilingUsd: number | null
  createdAt: Date
  finishedAt: Date | null
}

export interface TrialKey {
  config: string
  scenario: string
  trial: number
}

export interface ArenaTrial extends TrialKey {
  runId: string
  position: number
  status: 'pending' | 'running' | 'done'
  attempts: number
  conversationId: string | null
  success: boolean | null
  costUsd: number
  result: unknown
  finishedAt: Date | null
}

export interface NewArenaRun {
  id: string
  tenantId: string
  name: string
  suite?: string
  spec: unknown
  costCeilingUsd?: number
  trials: TrialKey[]
}

const trialColumns = (t = '') => `${t}run_id as "runId", ${t}config, ${t}scenario, ${t}trial, ${t}position, ${t}status, ${t}attempts,
  ${t}conversation_id as "conversationId", ${t}success, ${t}cost_usd as "costUsd", ${t}result, ${t}finished_at as "finishedAt"`
const RUN_COLUMNS = `id, tenant_id as "tenantId", name, suite, spec, status, cost_ceiling_usd as "costCeilingUsd",
  created_at as "createdAt", finished_at as "finishedAt"`

export function createArenaRuns(sql: Sql) {
  return {
    async create(run: NewArenaRun): Promise<void> {
      await sql.begin(async (tx) => {
        await tx`insert into arena_runs (id, tenant_id, name, suite, spec, cost_ceiling_usd)
          values (${run.id}, ${run.tenantId}, ${run.name}, ${run.suite ?? null}, ${tx.json(run.spec as never)}, ${run.costCeilingUsd ?? null})`
        const rows = run.trials.map((t, position) => ({ run_id: run.id, config: t.config, scenario: t.scenario, trial: t.trial, position }))
        for (let i = 0; i < rows.length; i += 1000) await tx`insert into arena_trials ${tx(rows.slice(i, i + 1000))}`
      })
    },

    async get(id: string, tenantId?: string): Promise<ArenaRun | undefined> {
      const [row] = await sql.unsafe<ArenaRun[]>(`select ${RUN_COLUMNS} from arena_runs where id = $1 and ($2::text is null or tenant_id = $2)`, [id, tenantId ?? null])
      return row
    },

    async list(tenantId: string, limit = 50): Promise<ArenaRun[]> {
      return sql.unsafe<ArenaRun[]>(`select ${RUN_COLUMNS} from arena_runs where tenant_id = $1 order by created_at desc limit $2`, [tenantId, limit])
    },

    /** The latest finished run of a named suite. */
    async latestOfSuite(tenantId: string, suite: string): Promise<ArenaRun | undefined> {
      const [row] = await sql.unsafe<ArenaRun[]>(`select ${RUN_COLUMNS} from arena_runs
        where tenant_id = $1 and suite = $2 and status = 'done' order by created_at desc limit 1`, [tenantId, suite])
      return row
    },

    /** Claims the next pending trial for `worker`, or none when every trial is claimed or done. */
    async claim(runId: string, worker: string): Promise<ArenaTrial | undefined> {
      // A CTE materialized once: a LIMIT 1 subquery in FROM may be rescanned and claim several rows.
      const [row] = await sql.unsafe<ArenaTrial[]>(`
        with next as materialized (select config, scenario, trial from arena_trials where run_id = $1 and status = 'pending'
              order by position limit 1 for update skip locked)
        update arena_trials t set status = 'running', attempts = attempts + 1, claimed_by = $2, claimed_at = now()
        from next
        where t.run_id = $1 and t.config = next.config and t.scenario = next.scenario and t.trial = next.trial
        returning ${trialColumns('t.')}`, [runId, worker])
      return row
    },

    /** Records a claimed trial's outcome; false if it was not this worker's running claim (it changed hands). */
    async finish(runId: string, key: TrialKey, worker: string, outcome: { success: boolean; costUsd: number; conversationId: string; result: unknown }): Promise<boolean> {
      const rows = await sql`update arena_trials set status = 'done', success = ${outcome.success}, cost_usd = ${outcome.costUsd},
          conversation_id = ${outcome.conversationId}, result = ${sql.json(outcome.result as never)}, finished_at = now()
        where run_id = ${runId} and config = ${key.config} and scenario = ${key.scenario} and trial = ${key.trial}
          and status = 'running' and claimed_by = ${worker}
        returning 1`
      return rows.length === 1
    },

    /** Gives back the claims of runners that are gone (a resumed run calls it first); returns how many. */
    async releaseClaims(runId: string): Promise<number> {
      const rows = await sql`update arena_trials set status = 'pending', claimed_by = null
        where run_id = ${runId} and status = 'running' returning 1`
      return rows.length
    },

    async trials(runId: string): Promise<ArenaTrial[]> {
      return sql.unsafe<ArenaTrial[]>(`select ${trialColumns()} from arena_trials where run_id = $1 order by position`, [runId])
    },

    async progress(runId: string): Promise<{ total: number; done: number; spentUsd: number }> {
      const [row] = await sql<{ total: number; done: number; spentUsd: number }[]>`
        select count(*)::int as total, count(*) filter (where status = 'done')::int as done,
          coalesce(sum(cost_usd), 0)::float as "spentUsd"
        from arena_trials where run_id = ${runId}`
      return row!
    },

    async setStatus(runId: string, status: ArenaRunStatus): Promise<void> {
      await sql`update arena_runs set status = ${status}, finished_at = ${status === 'running' ? null : sql`now()`} where id = ${runId}`
    },
  }
}
export type ArenaRuns = ReturnType<typeof createArenaRuns>
