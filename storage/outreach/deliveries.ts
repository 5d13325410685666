// Each customer's delivery row of a run: what was decided and why, the conversation it went into, and whether
// it went out. The row's id is the outreach message's id, so a send repeated after a crash is the same message.
import type { Sql } from '../postgres/client.ts'

export type DeliveryStatus = 'pending' | 'deferred' | 'sent' | 'skipped' | 'would_send'

export interface Delivery {
  id: string
  runId: string
  tenantId: string
  customerRef: string
  status: DeliveryStatus
  reason: string | null
  dueAt: Date | null
  address: string | null
  text: string | null
  conversationId: string | null
  decidedAt: Date
  sentAt: Date | null
}

/** A run's progress: customers decided out of the audience, and each outcome (skips by reason). */
export interface RunProgress {
  total: number | null
  decided: number
  byStatus: Partial<Record<DeliveryStatus, number>>
  skippedByReason: Record<string, number>
}

/** A campaign's outcome figures over all its (non-dry) runs. */
export interface CampaignKpis {
  sent: number
  deferred: number
  skippedByReason: Record<string, number>
  /** The customer wrote back after the message. */
  replied: number
  /** The conversation was closed without a person after the message. */
  resolved: number
  /** "stop" in a reply to this campaign's message. */
  optedOut: number
}

/** The row's columns, of table alias `t` when given. */
const columnsOf = (t = '') => {
  const c = (name: string, as?: string) => `${t ? `${t}.` : ''}${name}${as ? ` as "${as}"` : ''}`
  return [c('id'), c('run_id', 'runId'), c('tenant_id', 'tenantId'), c('customer_ref', 'customerRef'), c('status'), c('reason'),
    c('due_at', 'dueAt'), c('address'), c('text'), c('conversation_id', 'conversationId'), c('decided_at', 'decidedAt'), c('sent_at', 'sentAt')].join(', ')
}
const columns = columnsOf()

export function createDeliveries(sql: Sql) {
  return {
    async get(id: string): Promise<Delivery | undefined> {
      const [row] = await sql<Delivery[]>`select ${sql.unsafe(columns)} from outreach_deliveries where id = ${id}`
      return row
    },
    /** Rows of the run in one status, in id order after `after` (paging through pending sends, deferred ones). */
    async inStatus(runId: string, status: DeliveryStatus, limit: number, after = ''): Promise<Delivery[]> {
      return sql<Delivery[]>`select ${sql.unsafe(columns)} from outreach_deliveries
        where run_id = ${runId} and status = ${status} and id > ${after} order by id limit ${limit}`
    },
    /** Decisions of a run (who would be contacted and why), optionally of one status. */
    async list(runId: string, options: { status?: DeliveryStatus; after?: string; limit: number }): Promise<Delivery[]> {
      const status = options.status ? sql`and status = ${options.status}` : sql``
      return sql<Delivery[]>`select ${sql.unsafe(columns)} from outreach_deliveries where run_id = ${runId} ${status}
        and id > ${options.after ?? ''} order by id limit ${options.limit}`
    },
    /** The customer's newest open conversation on the channel: an outreach continues it rather than start another. */
    async openConversation(tenantId: string, customerId: string, channel: string): Promise<string | undefined> {
      const [row] = await sql<{ id: string }[]>`select id from conversations where customer_id = ${customerId} and tenant_id = ${tenantId}
        and channel = ${channel} and status = 'open' order by created_at desc limit 1`
      return row?.id
    },
    /** The conversation the message goes into: the first one recorded wins, so a retry uses the same. */
    async assignConversation(id: string, conversationId: string): Promise<string> {
      const [row] = await sql<{ conversationId: string }[]>`update outreach_deliveries
        set conversation_id = coalesce(conversation_id, ${conversationId}) where id = ${id} returning conversation_id as "conversationId"`
      return row?.conversationId ?? conversationId
    },
    async markSent(id: string): Promise<boolean> {
      const rows = await sql`update outreach_deliveries set status = 'sent', sent_at = now() where id = ${id} and status in ('pending', 'deferred') returning 1`
      return rows.length > 0
    },
    /** A deferred message whose customer can no longer be contacted when it comes due. */
    async markSkipped(id: string, reason: string): Promise<void> {
      await sql`update outreach_deliveries set status = 'skipped', reason = ${reason} where id = ${id} and status in ('pending', 'deferred')`
    },
    /** The newest message of a campaign that went into this conversation: why we reached out. */
    async lastSentInto(conversationId: string): Promise<(Delivery & { campaign: string; channel: string }) | undefined> {
      const [row] = await sql<(Delivery & { campaign: string; channel: string })[]>`select ${sql.unsafe(columnsOf('d'))},
        r.campaign, r.spec->>'channel' as channel from outreach_deliveries d join outreach_runs r on r.id = d.run_id
        where d.conversation_id = ${conversationId} and d.status = 'sent' order by d.sent_at desc limit 1`
      return row
    },
    async progress(runId: string): Promise<RunProgress> {
      const rows = await sql<{ status: DeliveryStatus; reason: string | null; n: number }[]>`select status, reason, count(*)::int as n
        from outreach_deliveries where run_id = ${runId} group by status, reason`
      const [run] = await sql<{ total: number | null }[]>`select total from outreach_runs where id = ${runId}`
      const byStatus: RunProgress['byStatus'] = {}
      const skippedByReason: Record<string, number> = {}
      for (const r of rows) {
        byStatus[r.status] = (byStatus[r.status] ?? 0) + r.n
        if (r.status === 'skipped') skippedByReason[r.reason ?? 'unknown'] = (skippedByReason[r.reason ?? 'unknown'] ?? 0) + r.n
      }
      return { total: run?.total ?? null, decided: rows.reduce((n, r) => n + r.n, 0), byStatus, skippedByReason }
    },
    async kpis(tenantId: string, campaign: string): Promise<CampaignKpis> {
      const [row] = await sql<(Omit<CampaignKpis, 'skippedByReason'> & { skipped: Record<string, number> | null })[]>`
        with d as (select d.* from outreach_deliveries d join outreach_runs r on r.id = d.run_id
          where r.tenant_id = ${tenantId} and r.campaign = ${campaign} and not r.dry_run)
        select
          count(*) filter (where status = 'sent')::int as sent,
          count(*) filter (where status = 'deferred')::int as deferred,
          (select jsonb_object_agg(reason, n) from (select reason, count(*)::int as n from d where status = 'skipped' group by reason) s) as skipped,
          count(*) filter (where status = 'sent' and exists (select 1 from messages m where m.conversation_id = d.conversation_id
            and m.role = 'customer' and m.created_at > d.sent_at))::int as replied,
          count(*) filter (where status = 'sent' and exists (select 1 from conversations c where c.id = d.conversation_id
            and c.status = 'closed' and c.updated_at > d.sent_at)
            and not exists (select 1 from escalations e where e.conversation_id = d.conversation_id and e.created_at > d.sent_at))::int as resolved,
          (select count(*)::int from outreach_consent oc where oc.tenant_id = ${tenantId} and oc.status = 'out'
            and oc.source in (select 'reply:' || id from d)) as "optedOut"
        from d`
      const { skipped, ...rest } = row!
      return { ...rest, skippedByReason: skipped ?? {} }
    },
  }
}
export type Deliveries = ReturnType<typeof createDeliveries>
