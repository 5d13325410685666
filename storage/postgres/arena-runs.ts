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
  /** 'workers': started from the API and played by a worker holding the run's lease; 'cli': by the CLI process. */
  playedBy: 'cli' | 'workers'
  /** Who started it (an API key, a console person); null from the CLI. */
  startedBy: string | null
  /** The worker holding the run now, and until when; null while no worker plays it. */
  runner: string | null
  leaseUntil: Date | null
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
  /** @defaultValue 'cli' */
  playedBy?: 'cli' | 'workers'
  startedBy?: string
}

const trialColumns = (t = '') => `${t}run_id as "runId", ${t}config, ${t}scenario, ${t}trial, ${t}position, ${t}status, ${t}attempts,
  ${t}conversation_id as "conversationId", ${t}success, ${t}cost_usd as "costUsd", ${t}result, ${t}finished_at as "finishedAt"`
const RUN_COLUMNS = `id, tenant_id as "tenantId", name, suite, spec, status, cost_ceiling_usd as "costCeilingUsd",
  played_by as "playedBy", started_by as "startedBy", runner, lease_until as "leaseUntil", created_at as "createdAt", finished_at as "finishedAt"`

export function createArenaRuns(sql: Sql) {
  return {
    async create(run: NewArenaRun): Promise<void> {
      await sql.begin(async (tx) => {
        await tx`insert into arena_runs (id, tenant_id, name, suite, spec, cost_ceiling_usd, played_by, started_by)
          values (${run.id}, ${run.tenantId}, ${run.name}, ${run.suite ?? null}, ${tx.json(run.spec as never)}, ${run.costCeilingUsd ?? null},
            ${run.playedBy ?? 'cli'}, ${run.startedBy ?? null})`
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

    /**
     * Takes the oldest unfinished run the workers play whose lease is free or expired (its runner stopped or died)
     * for `worker`, until `leaseMs` from now; undefined when there is none.
     */
    async claimRun(worker: string, leaseMs: number): Promise<ArenaRun | undefined> {
      const [row] = await sql.unsafe<ArenaRun[]>(`
        with next as materialized (select id as next_id from arena_runs where played_by = 'workers' and status = 'running'
            and (lease_until is null or lease_until < now()) order by created_at limit 1 for update skip locked)
        update arena_runs set runner = $1, lease_until = now() + $2 * interval '1 millisecond' from next where id = next_id
        returning ${RUN_COLUMNS}`, [worker, leaseMs])
      return row
    },

    /** Extends `worker`'s lease of the run; false when it lost it (it expired and another worker took the run). */
    async renewRun(runId: string, worker: string, leaseMs: number): Promise<boolean> {
      const rows = await sql`update arena_runs set lease_until = now() + ${leaseMs} * interval '1 millisecond'
        where id = ${runId} and runner = ${worker} returning 1`
      return rows.length === 1
    },

    /** Gives the run's lease back (the run finished, or this worker is stopping). */
    async releaseRun(runId: string, worker: string): Promise<void> {
      await sql`update arena_runs set runner = null, lease_until = null where id = ${runId} and runner = ${worker}`
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
      // A run that ended is no worker's any more.
      await sql`update arena_runs set status = ${status}, finished_at = ${status === 'running' ? null : sql`now()`},
          runner = case when ${status} = 'running' then runner end, lease_until = case when ${status} = 'running' then lease_until end
        where id = ${runId}`
    },
  }
}
export type ArenaRuns = ReturnType<typeof createArenaRuns>
