// The console's read models: the inbox (unresolved handoffs by queue, with SLA clocks, and assist drafts awaiting a
// person), transfers between queues and people, and the QA review queue. One query each, so the first screen stays
// fast with a thousand open conversations. Every query is scoped by tenant.
import type { Sql } from './client.ts'
import type { HandoffPackage } from './handoff-packages.ts'
import type { HandoffStatus } from './handoffs.ts'

export interface QueueCount {
  id: string
  name: string
  priority: number
  open: number
  taken: number
  /** Unresolved handoffs past a first-response or resolution target. */
  breached: number
}

export interface InboxItem {
  escalationId: string
  conversationId: string
  channel: string
  status: HandoffStatus
  takenBy: string | null
  reason: string
  category: string | null
  queueId: string | null
  priority: number | null
  intent: string | null
  sentiment: string | null
  summary: string | null
  customerName: string | null
  createdAt: Date
  firstResponseDueAt: Date | null
  resolutionDueAt: Date | null
  firstResponseAt: Date | null
  breached: boolean
}

export interface DraftWaiting {
  conversationId: string
  draftId: string
  channel: string
  agent: string
  createdAt: Date
}

export interface InboxFilter {
  queueId?: string
  status?: 'open' | 'taken'
  category?: string
  /** An agent's email, or 'unassigned'. */
  assignee?: string
  limit: number
}

/** A handoff of one conversation as the console shows it: its package, queue, clocks and who has it. */
export interface ConversationHandoff {
  id: string
  status: HandoffStatus
  takenBy: string | null
  reason: string
  detail: string | null
  category: string | null
  queueId: string | null
  queueName: string | null
  package: HandoffPackage | null
  createdAt: Date
  firstResponseDueAt: Date | null
  resolutionDueAt: Date | null
  firstResponseAt: Date | null
  firstResponseBreachedAt: Date | null
  resolutionBreachedAt: Date | null
  resolvedAt: Date | null
}

export interface QaCandidate {
  conversationId: string
  channel: string
  agent: string
  status: string
  escalated: boolean
  csat: number | null
  reviews: number
  updatedAt: Date
}

const itemColumns = `e.id as "escalationId", e.conversation_id as "conversationId", c.channel, e.status, e.taken_by as "takenBy",
  e.reason, e.category, e.queue_id as "queueId", e.priority, e.package->'intent'->>'name' as intent,
  e.package->'sentiment'->>'label' as sentiment, left(e.package->>'summary', 160) as summary,
  coalesce(e.package->'customer'->>'name', c.metadata->'customer'->>'name') as "customerName", e.created_at as "createdAt",
  e.first_response_due_at as "firstResponseDueAt", e.resolution_due_at as "resolutionDueAt", e.first_response_at as "firstResponseAt",
  (e.first_response_breached_at is not null or e.resolution_breached_at is not null) as breached`

export function createConsoleInbox(sql: Sql) {
  return {
    /** Unresolved handoffs, most urgent first (priority, then the earliest SLA due), and the total that matched. */
    async items(tenantId: string, f: InboxFilter): Promise<{ items: InboxItem[]; total: number }> {
      const where = sql`c.tenant_id = ${tenantId} and e.status in ('open', 'taken')
        ${f.queueId ? sql`and e.queue_id = ${f.queueId}` : sql``}
        ${f.status ? sql`and e.status = ${f.status}` : sql``}
        ${f.category ? sql`and e.category = ${f.category}` : sql``}
        ${f.assignee === 'unassigned' ? sql`and e.taken_by is null` : f.assignee ? sql`and e.taken_by = ${f.assignee}` : sql``}`
      const [items, [count]] = await Promise.all([
        sql<InboxItem[]>`select ${sql.unsafe(itemColumns)} from escalations e join conversations c on c.id = e.conversation_id
          where ${where} order by e.priority desc nulls last, coalesce(e.first_response_due_at, e.created_at), e.id limit ${f.limit}`,
        sql<{ n: number }[]>`select count(*)::int as n from escalations e join conversations c on c.id = e.conversation_id where ${where}`,
      ])
      return { items, total: count?.n ?? 0 }
    },
    /** The handoffs of a conversation of the tenant, oldest first. */
    async handoffsOf(tenantId: string, conversationId: string): Promise<ConversationHandoff[]> {
      return sql<ConversationHandoff[]>`select e.id, e.status, e.taken_by as "takenBy", e.reason, e.detail, e.category, e.queue_id as "queueId",
          q.name as "queueName", e.package, e.created_at as "createdAt", e.first_response_due_at as "firstResponseDueAt",
          e.resolution_due_at as "resolutionDueAt", e.first_response_at as "firstResponseAt",
          e.first_response_breached_at as "firstResponseBreachedAt", e.resolution_breached_at as "resolutionBreachedAt",
          e.resolved_at as "resolvedAt"
        from escalations e join conversations c on c.id = e.conversation_id left join handoff_queues q on q.id = e.queue_id
        where e.conversation_id = ${conversationId} and c.tenant_id = ${tenantId} order by e.created_at, e.id`
    },
    /** Every queue of the tenant with its counts (queues with nothing waiting included). */
    async queueCounts(tenantId: string): Promise<QueueCount[]> {
      return sql<QueueCount[]>`select q.id, q.name, q.priority,
          count(e.id) filter (where e.status = 'open')::int as open, count(e.id) filter (where e.status = 'taken')::int as taken,
          count(e.id) filter (where e.first_response_breached_at is not null or e.resolution_breached_at is not null)::int as breached
        from handoff_queues q left join escalations e on e.queue_id = q.id and e.status in ('open', 'taken')
        where q.tenant_id = ${tenantId} group by q.id order by q.priority desc, q.name`
    },
    /** Assist-mode drafts waiting for a person, oldest first, one row per conversation (its oldest draft). */
    async draftsWaiting(tenantId: string, limit: number): Promise<DraftWaiting[]> {
      return sql<DraftWaiting[]>`select distinct on (d.conversation_id) d.conversation_id as "conversationId", d.id as "draftId",
          c.channel, c.agent, d.created_at as "createdAt"
        from reply_drafts d join conversations c on c.id = d.conversation_id
        where c.tenant_id = ${tenantId} and d.status = 'pending' and c.status <> 'closed'
        order by d.conversation_id, d.created_at limit ${limit}`
    },
    /**
     * Moves an unresolved handoff to another queue (back to waiting there) or to another person (taken by them), and
     * records who did it. False when the tenant has no such unresolved handoff.
     */
    async transfer(tenantId: string, id: string, to: { queueId?: string; agent?: string }, by: string, note?: string): Promise<boolean> {
      return sql.begin(async (tx) => {
        const [before] = await tx<{ queueId: string | null; takenBy: string | null; conversationId: string }[]>`select e.queue_id as "queueId",
          e.taken_by as "takenBy", e.conversation_id as "conversationId" from escalations e join conversations c on c.id = e.conversation_id
          where e.id = ${id} and c.tenant_id = ${tenantId} and e.status <> 'resolved' for update of e`
        if (!before) return false
        if (to.queueId) {
          await tx`update escalations e set queue_id = q.id, priority = q.priority, status = 'open', taken_by = null, taken_at = null
            from handoff_queues q where e.id = ${id} and q.id = ${to.queueId} and q.tenant_id = ${tenantId}`
        } else if (to.agent) {
          await tx`update escalations set status = 'taken', taken_by = ${to.agent}, taken_at = now() where id = ${id}`
        }
        await tx`insert into handoff_transfers (escalation_id, conversation_id, tenant_id, by_user, from_queue, to_queue, from_agent, to_agent, note)
          values (${id}, ${before.conversationId}, ${tenantId}, ${by}, ${before.queueId}, ${to.queueId ?? before.queueId}, ${before.takenBy}, ${to.agent ?? null}, ${note ?? null})`
        return true
      })
    },
    /**
     * Conversations to review: finished by the AI or by people (closed, or with a resolved handoff); the daily QA
     * sample's unreviewed ones first, then fewest reviews first.
     */
    async qaQueue(tenantId: string, limit: number): Promise<QaCandidate[]> {
      return sql<QaCandidate[]>`select c.id as "conversationId", c.channel, c.agent, c.status,
          exists (select 1 from escalations e where e.conversation_id = c.id) as escalated, r.rating as csat,
          (select count(*)::int from qa_reviews q where q.conversation_id = c.id) as reviews, c.updated_at as "updatedAt"
        from conversations c left join csat_ratings r on r.conversation_id = c.id
        where c.tenant_id = ${tenantId} and (c.status = 'closed'
          or exists (select 1 from escalations e where e.conversation_id = c.id and e.status = 'resolved'))
        order by exists (select 1 from qa_samples s where s.conversation_id = c.id) and
            not exists (select 1 from qa_reviews q where q.conversation_id = c.id) desc, reviews, c.updated_at desc limit ${limit}`
    },
  }
}
export type ConsoleInbox = ReturnType<typeof createConsoleInbox>
