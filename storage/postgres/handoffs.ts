// Handoffs as the humans see them: a tenant's queue of escalations, taking one, answering the customer as a
// human agent, and resolving it (handing the conversation back to the agent, or not). Every query is scoped by
// tenant, so a foreign id reads as absent.
import type { Sql } from './client.ts'
import type { TxSql } from './idempotency.ts'
import type { PostOutcome } from './tenant-conversations.ts'

export type HandoffStatus = 'open' | 'taken' | 'resolved'

export interface Handoff {
  id: string
  conversationId: string
  turnId: string | null
  reason: string
  detail: string | null
  /** The reason category of the handoff package (null for handoffs opened before packages existed). */
  category: string | null
  status: HandoffStatus
  takenBy: string | null
  createdAt: Date
  takenAt: Date | null
  resolvedAt: Date | null
  channel: string
  customerId: string | null
}

/** What taking or resolving found: done, no such handoff for the tenant, or a state that refuses it. */
export type HandoffOutcome = { ok: true; handoff: Handoff } | { ok: false; reason: 'not_found' | 'taken' | 'resolved' }

const columns = `e.id, e.conversation_id as "conversationId", e.turn_id as "turnId", e.reason, e.detail, e.category, e.status,
  e.taken_by as "takenBy", e.created_at as "createdAt", e.taken_at as "takenAt", e.resolved_at as "resolvedAt",
  c.channel, c.customer_id as "customerId"`

export function createHandoffs(sql: Sql) {
  const get = async (tenantId: string, id: string, tx: TxSql = sql): Promise<Handoff | undefined> => {
    const [row] = await tx<Handoff[]>`select ${tx.unsafe(columns)} from escalations e
      join conversations c on c.id = e.conversation_id where e.id = ${id} and c.tenant_id = ${tenantId}`
    return row
  }
  /** Explains why an update matched nothing. */
  const refusal = async (tenantId: string, id: string): Promise<HandoffOutcome> => {
    const current = await get(tenantId, id)
    return { ok: false, reason: !current ? 'not_found' : current.status === 'resolved' ? 'resolved' : 'taken' }
  }
  return {
    get,
    /** Unresolved handoffs of every tenant by state, for the metrics scrape (both states always reported). */
    async counts(): Promise<{ status: HandoffStatus; count: number }[]> {
      return sql<{ status: HandoffStatus; count: number }[]>`select s.status, count(e.id)::int as count
        from (values ('open'), ('taken')) s(status) left join escalations e on e.status = s.status group by s.status order by s.status`
    },
    /** The tenant's handoffs in one state, oldest first: the order a human queue works in. */
    async list(tenantId: string, status: HandoffStatus, limit: number): Promise<Handoff[]> {
      return sql<Handoff[]>`select ${sql.unsafe(columns)} from escalations e join conversations c on c.id = e.conversation_id
        where c.tenant_id = ${tenantId} and e.status = ${status} order by e.created_at, e.id limit ${limit}`
    },
    /** An agent takes an open handoff; taking it again as the same agent is a harmless repeat. */
    async take(tenantId: string, id: string, agent: string): Promise<HandoffOutcome> {
      const [row] = await sql<{ id: string }[]>`update escalations e set status = 'taken', taken_by = ${agent}, taken_at = coalesce(e.taken_at, now())
        from conversations c where e.id = ${id} and c.id = e.conversation_id and c.tenant_id = ${tenantId}
          and (e.status = 'open' or (e.status = 'taken' and e.taken_by = ${agent})) returning e.id`
      return row ? { ok: true, handoff: (await get(tenantId, id))! } : refusal(tenantId, id)
    },
    /**
     * Resolves the handoff (a repeat finds it resolved and answers the same). With `handBack`, the conversation is
     * open to the AI agent again once no other handoff of it is unresolved, also when the handoff was resolved
     * earlier without it; without, it stays with the humans.
     */
    async resolve(tenantId: string, id: string, handBack: boolean): Promise<HandoffOutcome> {
      return sql.begin(async (tx) => {
        const handoff = await get(tenantId, id, tx)
        if (!handoff) return { ok: false as const, reason: 'not_found' as const }
        await tx`update escalations set status = 'resolved', resolved_at = now() where id = ${id} and status <> 'resolved'`
        if (handBack) {
          await tx`update conversations c set status = 'open', updated_at = now()
            where c.id = ${handoff.conversationId} and c.status = 'escalated' and not exists (
              select 1 from escalations o where o.conversation_id = c.id and o.status <> 'resolved')`
        }
        return { ok: true as const, handoff: (await get(tenantId, id, tx))! }
      })
    },
    /** A human agent's message to the customer (role human_agent), on a conversation that is not closed. */
    async postAgentMessage(tenantId: string, m: { id: string; conversationId: string; text: string }, tx: TxSql = sql): Promise<PostOutcome> {
      const [row] = await tx<{ status: string | null; inserted: boolean }[]>`
        with target as (select status from conversations where id = ${m.conversationId} and tenant_id = ${tenantId}),
        ins as (insert into messages (id, conversation_id, role, text)
          select ${m.id}, ${m.conversationId}, 'human_agent', ${m.text} from target where status <> 'closed'
          on conflict (id) do nothing returning id)
        select (select status from target) as status, exists (select 1 from ins) as inserted`
      if (!row?.status) return 'not_found'
      return row.inserted ? 'inserted' : row.status === 'closed' ? 'closed' : 'duplicate'
    },
  }
}
export type Handoffs = ReturnType<typeof createHandoffs>
