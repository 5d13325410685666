// SLA clocks of handoffs. A breach is marked by one UPDATE that sets its timestamp once, so however many workers
// sweep at the same moment, each breach is marked exactly once; holding messages are numbered by the same kind of
// claim, so a message id is never used twice.
import type { Sql } from './client.ts'

export type SlaKind = 'first_response' | 'resolution'

export interface SlaBreach {
  escalationId: string
  conversationId: string
  tenantId: string
  kind: SlaKind
  queueId: string | null
  queueName: string | null
  dueAt: Date
}

/** A waiting customer who is owed a holding message now; `count` numbers it (1 for the first). */
export interface HoldingDue {
  escalationId: string
  conversationId: string
  tenantId: string
  queueId: string
  count: number
  breached: boolean
}

const BATCH = 200

export function createHandoffSla(sql: Sql) {
  const columnsOf = (kind: SlaKind) => kind === 'first_response'
    ? { due: 'first_response_due_at', breached: 'first_response_breached_at', open: 'and e.first_response_at is null' }
    : { due: 'resolution_due_at', breached: 'resolution_breached_at', open: '' }
  const due = (kind: SlaKind, now: Date) => {
    const c = columnsOf(kind)
    return sql<SlaBreach[]>`select e.id as "escalationId", e.conversation_id as "conversationId", v.tenant_id as "tenantId",
        ${kind} as kind, e.queue_id as "queueId", q.name as "queueName", e.${sql(c.due)} as "dueAt"
      from escalations e join conversations v on v.id = e.conversation_id left join handoff_queues q on q.id = e.queue_id
      where e.${sql(c.due)} <= ${now} and e.${sql(c.breached)} is null and e.status <> 'resolved' ${sql.unsafe(c.open)}
      order by e.${sql(c.due)} limit ${BATCH}`
  }
  return {
    /** Breaches due by `now` that nobody has marked yet (a sweep publishes them, then marks them). */
    async dueBreaches(now: Date): Promise<SlaBreach[]> {
      return [...(await due('first_response', now)), ...(await due('resolution', now))]
    },
    /** Marks breaches once: returns the ids this call marked, which no other call ever returns. */
    async markBreached(kind: SlaKind, escalationIds: string[], now: Date): Promise<string[]> {
      if (escalationIds.length === 0) return []
      const c = columnsOf(kind)
      const rows = await sql<{ id: string }[]>`update escalations set ${sql(c.breached)} = ${now}
        where id = any(${escalationIds}::text[]) and ${sql(c.breached)} is null returning id`
      return rows.map((r) => r.id)
    },
    /** Claims the holding messages owed by `now`: to customers still waiting for a person, once per queue interval. */
    async claimHolding(now: Date): Promise<HoldingDue[]> {
      return sql<HoldingDue[]>`with due as (
          select e.id from escalations e join handoff_queues q on q.id = e.queue_id
          where e.status = 'open' and e.last_holding_at is not null
            and e.last_holding_at + make_interval(secs => q.holding_interval_s) <= ${now}
          order by e.last_holding_at limit ${BATCH} for update of e skip locked),
        claimed as (
          update escalations e set holding_count = e.holding_count + 1, last_holding_at = ${now}
          from due where e.id = due.id returning e.id, e.conversation_id, e.queue_id, e.holding_count, e.first_response_breached_at)
        select c.id as "escalationId", c.conversation_id as "conversationId", v.tenant_id as "tenantId", c.queue_id as "queueId",
          c.holding_count as count, c.first_response_breached_at is not null as breached
        from claimed c join conversations v on v.id = c.conversation_id`
    },
    /**
     * Starts the holding-message clock of a new handoff (its first message is number 1, the handoff reply itself);
     * false when nobody is waiting any more (taken or resolved). A repeat changes nothing.
     */
    async startHolding(escalationId: string, now: Date): Promise<boolean> {
      const rows = await sql`update escalations set holding_count = greatest(holding_count, 1), last_holding_at = coalesce(last_holding_at, ${now})
        where id = ${escalationId} and status = 'open' returning id`
      return rows.length === 1
    },
    /** A person answered: stops the first-response clock of the conversation's unresolved handoffs. */
    async firstResponse(conversationId: string, at: Date): Promise<void> {
      await sql`update escalations set first_response_at = ${at}
        where conversation_id = ${conversationId} and status <> 'resolved' and first_response_at is null`
    },
  }
}
export type HandoffSla = ReturnType<typeof createHandoffSla>
