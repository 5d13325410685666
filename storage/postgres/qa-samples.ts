// The daily QA sample's storage: the day's AI-handled conversations to choose from, and the run that records the
// choice exactly once per tenant and day however many workers try.
import type { Sql } from './client.ts'

export interface QaSampleCandidate {
  conversationId: string; intent: string | null; mode: string | null; confidence: number | null; csat: number | null
}

export interface QaSampleRow { conversationId: string; stratum: string; reason: 'random' | 'low_confidence' | 'low_csat' }

export function createQaSamples(sql: Sql) {
  return {
    /** Conversations of the tenant closed on `day` (UTC) that no person touched: no escalation, no person's message. */
    async candidates(tenantId: string, day: string): Promise<QaSampleCandidate[]> {
      return sql<QaSampleCandidate[]>`select c.id as "conversationId",
          (select t.intent from turn_facts t where t.conversation_id = c.id and t.intent is not null order by t.created_at limit 1) as intent,
          (select t.mode from turn_facts t where t.conversation_id = c.id order by t.created_at desc limit 1) as mode,
          (select min(t.intent_confidence)::float8 from turn_facts t where t.conversation_id = c.id) as confidence,
          r.rating::int as csat
        from conversations c left join csat_ratings r on r.conversation_id = c.id
        where c.tenant_id = ${tenantId} and c.status = 'closed' and c.closed_at >= ${day}::date and c.closed_at < ${day}::date + 1
          and not exists (select 1 from escalations e where e.conversation_id = c.id)
          and not exists (select 1 from messages m where m.conversation_id = c.id and m.role = 'human_agent')`
    },
    /**
     * Records the day's sample unless the day already has one; true when this call recorded it. Concurrent callers
     * serialize on the run's key: the loser waits for the winner's commit, then finds the row.
     */
    async record(tenantId: string, day: string, samples: QaSampleRow[]): Promise<boolean> {
      return sql.begin(async (tx) => {
        const won = await tx`insert into qa_sample_runs (tenant_id, day, sampled) values (${tenantId}, ${day}, ${samples.length})
          on conflict do nothing returning day`
        if (won.length === 0) return false
        for (const s of samples) {
          await tx`insert into qa_samples (tenant_id, day, conversation_id, stratum, reason)
            values (${tenantId}, ${day}, ${s.conversationId}, ${s.stratum}, ${s.reason})`
        }
        return true
      })
    },
    async ofDay(tenantId: string, day: string): Promise<QaSampleRow[]> {
      return sql<QaSampleRow[]>`select conversation_id as "conversationId", stratum, reason from qa_samples
        where tenant_id = ${tenantId} and day = ${day} order by stratum, conversation_id`
    },
    async hasRun(tenantId: string, day: string): Promise<boolean> {
      return (await sql`select 1 from qa_sample_runs where tenant_id = ${tenantId} and day = ${day}`).length > 0
    },
  }
}
export type QaSamples = ReturnType<typeof createQaSamples>
