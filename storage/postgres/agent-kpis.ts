// The support KPIs of one AI agent over a window, computed in one statement from what the platform records:
// conversations started in the window, how they ended, their ratings, their model spend and their handoffs.
import type { Sql } from './client.ts'

export interface AgentKpis {
  conversations: number
  closed: number
  /** Closed without ever going to a human. */
  contained: number
  escalated: number
  /** contained / closed; null before any conversation closed. */
  resolutionRate: number | null
  /** escalated / conversations; null without conversations. */
  escalationRate: number | null
  csat: { average: number | null; ratings: number }
  /** Model spend per conversation, USD. */
  costPerConversationUsd: number | null
  /** Median time from start to (first) close, seconds. */
  timeToResolveP50S: number | null
}

const ratio = (n: number, d: number) => (d === 0 ? null : n / d)

export function createAgentKpis(sql: Sql) {
  return {
    async of(tenantId: string, agent: string, since: Date): Promise<AgentKpis> {
      const [row] = await sql<{
        conversations: number; closed: number; contained: number; escalated: number; csatAverage: number | null
        ratings: number; costUsd: number; ttrP50S: number | null
      }[]>`
        with c as (select id, status, created_at, closed_at,
            exists (select 1 from escalations e where e.conversation_id = conversations.id) as escalated
          from conversations where tenant_id = ${tenantId} and agent = ${agent} and created_at >= ${since})
        select count(*)::int as conversations,
          count(*) filter (where status = 'closed')::int as closed,
          count(*) filter (where status = 'closed' and not escalated)::int as contained,
          count(*) filter (where escalated)::int as escalated,
          (select avg(r.rating)::float from csat_ratings r join c on c.id = r.conversation_id) as "csatAverage",
          (select count(*)::int from csat_ratings r join c on c.id = r.conversation_id) as ratings,
          (select coalesce(sum(p.cost_usd), 0)::float from provider_calls p join c on c.id = p.conversation_id) as "costUsd",
          (select percentile_cont(0.5) within group (order by extract(epoch from closed_at - created_at))
            from c where status = 'closed' and closed_at is not null)::float as "ttrP50S"
        from c`
      const r = row!
      return {
        conversations: r.conversations, closed: r.closed, contained: r.contained, escalated: r.escalated,
        resolutionRate: ratio(r.contained, r.closed), escalationRate: ratio(r.escalated, r.conversations),
        csat: { average: r.csatAverage, ratings: r.ratings },
        costPerConversationUsd: ratio(r.costUsd, r.conversations), timeToResolveP50S: r.ttrP50S,
      }
    },
  }
}
export type AgentKpisRepository = ReturnType<typeof createAgentKpis>
