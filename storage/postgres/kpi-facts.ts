// Reads, per conversation of a window, the facts the KPIs judge (kpis/facts.ts): its timeline, CSAT, first
// escalation with the taker's rating, whether the customer came back, and what it used. One statement; the
// judging happens in kpis/, not here.
import type { ConversationFacts } from '../../lib/conversation-facts.ts'
import type { PendingQuery, Row, TransactionSql } from 'postgres'
import type { Sql } from './client.ts'

export interface KpiFactsQuery {
  tenantId: string
  from: Date
  to: Date
  agent?: string
  channel?: string
  /** The moment open handoffs are measured up to. */
  now: Date
}

type Flat = Omit<ConversationFacts, 'csat' | 'escalation' | 'cost' | 'qa'> & {
  csatRating: number | null; csatAt: number | null
  escCount: number; escFirstAt: number | null; escCategory: string | null; escAllResolved: boolean | null; escCompleteness: number | null
  escPackageMissing: string[] | null; ratingHad: boolean | null; ratingMissing: string[] | null; escActionsAfter: number; escHandlingS: number | null
  modelUsd: number; guardrailChecks: number; workerS: number | null; bytesStored: number; qaReviews: number; qaScoreSum: number | null
}

const ms = (col: string) => `(extract(epoch from ${col}) * 1000)::float8`

function toRow(r: Flat): ConversationFacts {
  const { csatRating, csatAt, escCount, escFirstAt, escCategory, escAllResolved, escCompleteness, escPackageMissing, ratingHad,
    ratingMissing, escActionsAfter, escHandlingS, modelUsd, guardrailChecks, workerS, bytesStored, qaReviews, qaScoreSum, ...rest } = r
  return {
    ...rest,
    csat: csatRating === null ? null : { rating: csatRating, at: csatAt! },
    escalation: escCount === 0 ? null : {
      count: escCount, firstAt: escFirstAt!, category: escCategory, allResolved: escAllResolved ?? false, completeness: escCompleteness,
      packageMissing: escPackageMissing ?? [], rating: ratingHad === null ? null : { hadWhatNeeded: ratingHad, missing: ratingMissing ?? [] },
      actionsAfter: escActionsAfter, handlingS: escHandlingS ?? 0,
    },
    cost: { modelUsd, guardrailChecks, workerS: workerS ?? 0, bytesStored },
    qa: { reviews: qaReviews, scoreSum: qaScoreSum ?? 0 },
  }
}

type Tx = TransactionSql

/** The facts of the conversations `c` selects (conversations rows), measured at `now`, inside a transaction. */
async function readFacts(tx: Tx, c: PendingQuery<Row[]>, now: Date): Promise<ConversationFacts[]> {
  // JIT compiling this plan costs about a second and saves less than that: the per-conversation lookups are indexed
  await tx`set local jit = off`
  const rows = await tx<Flat[]>`
        with c as (${c})
        select c.id, c.agent, c.channel, c.customer_id as "customerId", fi.intent, lt.mode, lt.segment, lt.min_confidence as "minConfidence", c.status,
          ${tx.unsafe(ms('c.created_at'))} as "createdAt", ${tx.unsafe(ms('c.closed_at'))} as "closedAt",
          ${tx.unsafe(ms('c.reopened_at'))} as "reopenedAt",
          ${tx.unsafe(ms('m.first_customer_at'))} as "firstCustomerAt", ${tx.unsafe(ms('m.first_response_at'))} as "firstResponseAt",
          ${tx.unsafe(ms('m.last_customer_at'))} as "lastCustomerAt", m.last_customer_text as "lastCustomerText",
          ${tx.unsafe(ms('m.last_reply_at'))} as "lastReplyAt", m.ai_replies as "aiReplies", m.human_replies as "humanReplies",
          m.bytes::float8 + coalesce(st.bytes, 0)::float8 as "bytesStored", coalesce(st.guardrail_checks, 0)::int as "guardrailChecks",
          m.worker_s as "workerS",
          r.rating::int as "csatRating", ${tx.unsafe(ms('r.created_at'))} as "csatAt",
          coalesce(e.n, 0)::int as "escCount", ${tx.unsafe(ms('e.first_at'))} as "escFirstAt", e.category as "escCategory",
          e.all_resolved as "escAllResolved", e.completeness as "escCompleteness", e.package_missing as "escPackageMissing",
          e.had_what_needed as "ratingHad", e.rating_missing as "ratingMissing", coalesce(e.actions_after, 0)::int as "escActionsAfter",
          e.handling_s as "escHandlingS",
          ${tx.unsafe(ms('nsi.at'))} as "nextSameIntentAt", ${tx.unsafe(ms('nany.at'))} as "nextAnyAt",
          coalesce(p.usd, 0)::float8 as "modelUsd", coalesce(qa.n, 0)::int as "qaReviews", qa.score_sum as "qaScoreSum"
        from c
        left join lateral (select t.intent from turn_facts t where t.conversation_id = c.id and t.intent is not null
          order by t.created_at limit 1) fi on true
        left join lateral (select (array_agg(t.mode order by t.created_at desc))[1] as mode, (array_agg(t.segment order by t.created_at desc))[1] as segment,
          min(t.intent_confidence)::float8 as min_confidence from turn_facts t where t.conversation_id = c.id) lt on true
        left join lateral (select
            min(x.created_at) filter (where x.role = 'customer') as first_customer_at,
            min(x.created_at) filter (where x.role in ('assistant', 'human_agent')) as first_response_at,
            max(x.created_at) filter (where x.role = 'customer') as last_customer_at,
            (array_agg(x.text order by x.seq desc) filter (where x.role = 'customer'))[1] as last_customer_text,
            max(x.created_at) filter (where x.role in ('assistant', 'human_agent')) as last_reply_at,
            count(*) filter (where x.role = 'assistant' and not exists (select 1 from reply_drafts d where d.message_id = x.id))::int as ai_replies,
            count(*) filter (where x.role = 'human_agent')::int as human_replies,
            coalesce(sum(octet_length(x.text)), 0) as bytes,
            sum(extract(epoch from x.created_at - q.created_at)) filter (where x.role = 'assistant')::float8 as worker_s
          from messages x left join messages q on q.id = x.turn_id where x.conversation_id = c.id) m on true
        left join lateral (select sum(pg_column_size(s.result)) as bytes, count(*) filter (where s.step like 'guardrail.%') as guardrail_checks
          from messages x join turn_steps s on s.turn_id = x.id where x.conversation_id = c.id and x.role = 'customer') st on true
        left join csat_ratings r on r.conversation_id = c.id
        left join lateral (select count(*) as n, min(x.created_at) as first_at, (array_agg(x.category order by x.created_at))[1] as category,
            bool_and(x.status = 'resolved') as all_resolved, (array_agg(x.completeness order by x.created_at))[1] as completeness,
            (array_agg(x.package #> '{completeness,missing}' order by x.created_at))[1] as package_missing,
            (array_agg(h.had_what_needed order by x.created_at))[1] as had_what_needed,
            (array_agg(to_jsonb(h.missing) order by x.created_at))[1] as rating_missing,
            (select count(*) from tool_calls t where t.conversation_id = c.id and t.created_at >= min(x.created_at)) as actions_after,
            sum(extract(epoch from coalesce(x.resolved_at, ${now}) - x.taken_at)) filter (where x.taken_at is not null)::float8 as handling_s
          from escalations x left join handoff_ratings h on h.escalation_id = x.id where x.conversation_id = c.id) e on true
        left join lateral (select min(c2.created_at) as at from conversations c2
          where c.customer_id is not null and c2.tenant_id = c.tenant_id and c2.customer_id = c.customer_id and c2.created_at > c.created_at
            and (select t.intent from turn_facts t where t.conversation_id = c2.id and t.intent is not null order by t.created_at limit 1) = fi.intent) nsi on true
        left join lateral (select min(c2.created_at) as at from conversations c2
          where c.customer_id is not null and c2.tenant_id = c.tenant_id and c2.customer_id = c.customer_id and c2.created_at > c.created_at) nany on true
        left join lateral (select sum(pc.cost_usd) as usd from provider_calls pc where pc.conversation_id = c.id) p on true
        left join lateral (select count(*) as n, sum(v.score)::float8 as score_sum from qa_reviews v where v.conversation_id = c.id) qa on true`
  return rows.map(toRow)
}

export function createKpiFacts(sql: Sql) {
  return {
    /** The facts of every conversation of the tenant started in [from, to), optionally of one agent or channel. */
    read: (q: KpiFactsQuery): Promise<ConversationFacts[]> => sql.begin((tx) => readFacts(tx, tx`select * from conversations
        where tenant_id = ${q.tenantId} and created_at >= ${q.from} and created_at < ${q.to}
        and (${q.agent ?? null}::text is null or agent = ${q.agent ?? null})
        and (${q.channel ?? null}::text is null or channel = ${q.channel ?? null})`, q.now)),
  }
}

/** The facts of the given conversations (those that still exist), inside the caller's transaction. */
export const readFactsOf = (tx: Tx, ids: readonly string[], now: Date): Promise<ConversationFacts[]> =>
  readFacts(tx, tx`select * from conversations where id = any(${ids as string[]})`, now)
export type KpiFactsRepository = ReturnType<typeof createKpiFacts>
