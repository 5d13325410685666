// The judged row of each conversation (conversation_outcomes): the sweep that keeps it current and the KPI read that
// sums it. A row is judged again only when its conversation's facts changed or when the clock reaches its recheck
// time. Triggers log each change (kpi_changes, migration 292) and each sweep first folds that log into one mark per
// conversation (kpi_dirty); each conversation is judged by one sweep at a time (a transaction advisory lock), and a
// mark that moved while it was judged stays for the next sweep. The background sweep may wait for marks
// to settle (a busy conversation is judged once it quiets down); a read judges all of its tenant's. Judging itself is
// the caller's (kpis/).
import type { ConversationFacts } from '../../lib/conversation-facts.ts'
import {
  TOTAL_FIELDS, totalColumn, type AggregatedBreakdown, type ConversationOutcomeRow, type Dimension, type GroupKey, type KpiAggregate, type KpiTotals,
} from '../../lib/kpi-totals.ts'
import type { Sql } from './client.ts'
import { readFactsOf } from './kpi-facts.ts'

export interface OutcomeSweepOptions {
  /** Only this tenant's conversations (a read refreshing what it is about to sum). */
  tenantId?: string
  /**
   * Only marks that have not moved for this long, by the database's clock (which stamps them); a read refreshing its
   * figures leaves it 0 and judges every mark. @defaultValue 0
   */
  settleMs?: number
  /** Conversations per transaction. @defaultValue 500 */
  batchSize?: number
  /** Awaited between batches with the last one's duration; false ends the sweep there (the rest waits for the next). */
  between?: (batchMs: number) => Promise<boolean>
}

/** Which conversations `markAll` marks: all, or one tenant's, or one agent's (of every tenant unless `tenantId`). */
export interface RejudgeFilter {
  tenantId?: string
  agent?: string
}

export interface KpiAggregateQuery {
  tenantId: string
  from: Date
  to: Date
  agent?: string
  channel?: string
  /** Conversations of one type: the intent of their first classified turn. */
  intent?: string
  groupBy?: readonly Dimension[]
  period?: 'hour' | 'day' | 'week' | 'month'
}

const date = (ms: number | null) => (ms === null ? null : new Date(ms))

function recordOf(tenantId: string, r: ConversationOutcomeRow): Record<string, unknown> {
  const out: Record<string, unknown> = {
    conversation_id: r.conversationId, tenant_id: tenantId, agent: r.agent, channel: r.channel, intent: r.intent, mode: r.mode,
    created_at: new Date(r.createdAt), first_customer_at: date(r.firstCustomerAt), first_response_at: date(r.firstResponseAt),
    closed_at: date(r.closedAt), resolved_at: date(r.resolvedAt), outcome: r.outcome, confirmation: r.confirmation, handled_by: r.handledBy,
    durable: r.durable, csat: r.csat, time_to_resolve_s: r.timeToResolveS, first_response_s: r.firstResponseS,
    judged_at: new Date(r.judgedAt), recheck_at: date(r.recheckAt),
  }
  for (const f of TOTAL_FIELDS) out[totalColumn(f)] = r.totals[f]
  return out
}

/** The sums every KPI group is made of, as select expressions (constant names only). */
const SUMS = [
  'count(*)::int as conversations',
  ...TOTAL_FIELDS.map((f) => `coalesce(sum(${totalColumn(f)}), 0)::float8 as "${f}"`),
  'percentile_cont(0.5) within group (order by time_to_resolve_s) as "ttr50"',
  'percentile_cont(0.9) within group (order by time_to_resolve_s) as "ttr90"',
  'percentile_cont(0.5) within group (order by first_response_s) as "frt50"',
  'percentile_cont(0.9) within group (order by first_response_s) as "frt90"',
].join(', ')

type SumRow = Record<string, number | string | null> & { conversations: number; ttr50: number | null; ttr90: number | null; frt50: number | null; frt90: number | null }

function aggregateOf(r: SumRow): KpiAggregate {
  const totals = Object.fromEntries(TOTAL_FIELDS.map((f) => [f, Number(r[f] ?? 0)])) as KpiTotals
  return {
    conversations: r.conversations, totals,
    timeToResolve: { p50S: r.ttr50, p90S: r.ttr90 }, firstResponse: { p50S: r.frt50, p90S: r.frt90 },
  }
}

// Log rows per fold statement: a statement's delete locks its rows until it commits.
const FOLD_ROWS = 10_000

export function createKpiOutcomes(sql: Sql) {
  /**
   * Moves the logged changes this statement can see into their conversations' marks (a new `mark`, `marked_at` the
   * latest change's) and deletes them; a change still uncommitted is left for the next fold. A concurrent fold waits
   * for the rows the other locked, then skips them, so when it returns every change committed before it began is a
   * mark. A deleted conversation's changes are dropped.
   */
  async function fold(): Promise<void> {
    for (;;) {
      const [row] = await sql<{ n: number }[]>`
        with moved as (delete from kpi_changes where ctid = any(array(select ctid from kpi_changes limit ${FOLD_ROWS} for update))
          returning conversation_id, at),
        latest as (select m.conversation_id, max(m.at) as at from moved m
          where exists (select 1 from conversations c where c.id = m.conversation_id) group by m.conversation_id),
        marked as (insert into kpi_dirty (conversation_id, mark, marked_at) select conversation_id, nextval('kpi_dirty_mark_seq'), at from latest
          on conflict (conversation_id) do update set mark = excluded.mark, marked_at = greatest(kpi_dirty.marked_at, excluded.marked_at))
        select count(*)::int as n from moved`
      if (row!.n < FOLD_ROWS) return
    }
  }

  /** One transaction: claims, judges and writes up to `limit` conversations; returns how many it claimed and judged. */
  async function sweepBatch(now: Date, judge: (f: ConversationFacts) => ConversationOutcomeRow, tenantId: string | null, settleMs: number, limit: number): Promise<{ claimed: number; judged: number }> {
    return sql.begin(async (tx) => {
      // Settled marks from the table of marks (across tenants) or the tenant's conversations (a read). The fence
      // (`offset 0`) keeps the lock out of the branches, where it could be tested before their own conditions and
      // lock every row read; no order, since a sort under the lock would lock every row before the limit.
      const marks = tenantId === null
        ? tx`select conversation_id as id from kpi_dirty where marked_at <= now() - ${settleMs} * interval '1 millisecond'`
        : tx`select d.conversation_id as id from kpi_dirty d join conversations c on c.id = d.conversation_id
            where c.tenant_id = ${tenantId} and d.marked_at <= now() - ${settleMs} * interval '1 millisecond'`
      const rechecks = tenantId === null
        ? tx`select conversation_id from conversation_outcomes where recheck_at <= ${now}`
        : tx`select conversation_id from conversation_outcomes where tenant_id = ${tenantId} and recheck_at <= ${now}`
      const claimed = await tx<{ id: string }[]>`select id from ((${marks}) union all (${rechecks}) offset 0) s
        where pg_try_advisory_xact_lock(hashtext('switchboard.kpi'), hashtext(id)) limit ${limit}`
      if (claimed.length === 0) return { claimed: 0, judged: 0 }
      const ids = [...new Set(claimed.map((r) => r.id))]
      // Read again now that the locks are held: another sweep may have judged some of them just before.
      const due = await tx<{ id: string; tenantId: string; mark: number | null }[]>`select c.id, c.tenant_id as "tenantId", d.mark
        from conversations c left join kpi_dirty d on d.conversation_id = c.id left join conversation_outcomes o on o.conversation_id = c.id
        where c.id = any(${ids}) and (d.mark is not null or o.recheck_at <= ${now})`
      // A deleted conversation's mark goes with it (a trigger); one marked as it was deleted is dropped here.
      await tx`delete from kpi_dirty d where d.conversation_id = any(${ids}) and not exists (select 1 from conversations c where c.id = d.conversation_id)`
      if (due.length === 0) return { claimed: claimed.length, judged: 0 }
      const tenantOf = new Map(due.map((r) => [r.id, r.tenantId]))
      const facts = await readFactsOf(tx, due.map((r) => r.id), now)
      const records = facts.map((f) => recordOf(tenantOf.get(f.id)!, judge(f)))
      if (records.length > 0) {
        const columns = Object.keys(records[0]!)
        // one JSON parameter: binding 500 rows × 60 columns as parameters costs ten times more
        await tx`insert into conversation_outcomes (${tx.unsafe(columns.join(', '))})
          select ${tx.unsafe(columns.join(', '))} from jsonb_populate_recordset(null::conversation_outcomes, ${tx.json(records as never)})
          on conflict (conversation_id) do update set
          ${tx.unsafe(columns.filter((c) => c !== 'conversation_id').map((c) => `${c} = excluded.${c}`).join(', '))}`
      }
      const marked = due.filter((r) => r.mark !== null)
      await tx`delete from kpi_dirty d using (select unnest(${marked.map((r) => r.id)}::text[]) as id, unnest(${marked.map((r) => r.mark!)}::bigint[]) as mark) j
        where d.conversation_id = j.id and d.mark = j.mark`
      return { claimed: claimed.length, judged: records.length }
    })
  }

  return {
    fold,

    /**
     * Judges every conversation that is dirty or due at `now` (of one tenant, or all), in batches, skipping those
     * another sweep holds; returns how many it judged. `judge` is kpis/' `judgeOutcomeRow` with the settings.
     */
    async sweep(now: Date, judge: (f: ConversationFacts) => ConversationOutcomeRow, o: OutcomeSweepOptions = {}): Promise<number> {
      let judged = 0
      // Once, not per batch: what commits during the sweep, the next sweep (or the timer's fold) takes.
      await fold()
      for (;;) {
        const started = performance.now()
        const batch = await sweepBatch(now, judge, o.tenantId ?? null, o.settleMs ?? 0, o.batchSize ?? 500)
        if (batch.claimed === 0) return judged
        judged += batch.judged
        if (o.between && !(await o.between(performance.now() - started))) return judged
      }
    },

    /**
     * Marks every conversation of `filter` for judging again (after a KPI definition setting changed), in batches of
     * `batchSize` conversations by id; `progress` hears the running count after each. Returns how many it marked.
     * A mark already there is moved, not kept: a sweep judging it right now with the old settings then leaves it.
     */
    async markAll(filter: RejudgeFilter, o: { batchSize?: number; progress?: (marked: number, total: number) => void } = {}): Promise<number> {
      const tenantId = filter.tenantId ?? null
      const agent = filter.agent ?? null
      const where = (after: string) => sql`id > ${after} and (${tenantId}::text is null or tenant_id = ${tenantId})
        and (${agent}::text is null or agent = ${agent})`
      const [count] = await sql<{ n: number }[]>`select count(*)::int as n from conversations where ${where('')}`
      let marked = 0
      for (let after = ''; ;) {
        const [batch] = await sql<{ n: number; last: string | null }[]>`with batch as (
            select id from conversations where ${where(after)} order by id limit ${o.batchSize ?? 5000}),
          marked as (insert into kpi_dirty (conversation_id, mark) select id, nextval('kpi_dirty_mark_seq') from batch
            on conflict (conversation_id) do update set mark = excluded.mark, marked_at = now() returning 1)
          select (select count(*) from marked)::int as n, (select max(id) from batch) as last`
        if (!batch?.last) return marked
        marked += batch.n
        after = batch.last
        o.progress?.(marked, Math.max(count!.n, marked))
      }
    },

    /** How many conversations wait for a sweep: changed (marked, or logged and not yet folded), or due at `now`. */
    async backlog(now: Date): Promise<number> {
      const [row] = await sql<{ n: number }[]>`select (select count(*) from (select conversation_id from kpi_dirty union
          select k.conversation_id from kpi_changes k where exists (select 1 from conversations c where c.id = k.conversation_id)) s)
        + (select count(*) from conversation_outcomes where recheck_at <= ${now}) as n`
      return Number(row!.n)
    },

    /** Totals per (tenant, agent, maturity level) of conversations started in [from, to), the `limit` busiest groups. */
    async byAgentAndLevel(from: Date, to: Date, limit: number): Promise<Array<{ tenantId: string; agent: string; mode: string | null; aggregate: KpiAggregate }>> {
      const rows = await sql<Array<SumRow & { tenantId: string; agent: string; mode: string | null }>>`select tenant_id as "tenantId", agent, mode,
          ${sql.unsafe(SUMS)} from conversation_outcomes where created_at >= ${from} and created_at < ${to}
        group by tenant_id, agent, mode order by count(*) desc, tenant_id, agent, mode limit ${limit}`
      return rows.map((r) => ({ tenantId: r.tenantId, agent: r.agent, mode: r.mode, aggregate: aggregateOf(r) }))
    },

    /** The totals of the tenant's conversations started in [from, to): overall, per group, and per period. */
    async aggregate(q: KpiAggregateQuery): Promise<AggregatedBreakdown> {
      const dims = [...(q.groupBy ?? [])]
      const period = q.period ? `to_char(date_trunc('${q.period}', created_at at time zone 'UTC'), 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')` : null
      const keys = [...dims, ...(period ? [period] : [])]
      const sets = keys.length === 0 ? '()' : `grouping sets ((), (${keys.join(', ')})${period && dims.length > 0 ? `, (${period})` : ''})`
      const rows = await sql<Array<SumRow & { mask: number }>>`select ${sql.unsafe(keys.length === 0 ? '0 as mask' : `grouping(${keys.join(', ')}) as mask`)},
          ${sql.unsafe([...dims.map((d) => `${d} as "${d}"`), ...(period ? [`${period} as "period"`] : []), SUMS].join(', '))}
        from conversation_outcomes
        where tenant_id = ${q.tenantId} and created_at >= ${q.from} and created_at < ${q.to}
          and (${q.agent ?? null}::text is null or agent = ${q.agent ?? null})
          and (${q.channel ?? null}::text is null or channel = ${q.channel ?? null})
          and (${q.intent ?? null}::text is null or intent = ${q.intent ?? null})
        group by ${sql.unsafe(sets)}`
      const all = (1 << keys.length) - 1
      // grouping() sets a bit for each key left out: all of them for the total, none for a group, the dimensions' for a period
      const periodOnly = all - 1
      const keyOf = (r: SumRow): GroupKey => ({ ...Object.fromEntries(dims.map((d) => [d, r[d] as string | null])), ...(period ? { period: String(r.period) } : {}) })
      const total = rows.find((r) => r.mask === all)
      return {
        total: total ? aggregateOf(total) : aggregateOf({ conversations: 0, ttr50: null, ttr90: null, frt50: null, frt90: null }),
        groups: keys.length === 0 ? [] : rows.filter((r) => r.mask === 0).map((r) => ({ key: keyOf(r), aggregate: aggregateOf(r) })),
        series: period ? rows.filter((r) => r.mask === (dims.length > 0 ? periodOnly : 0)).map((r) => ({ period: String(r.period), aggregate: aggregateOf(r) })) : undefined,
      }
    },
  }
}
export type KpiOutcomes = ReturnType<typeof createKpiOutcomes>
