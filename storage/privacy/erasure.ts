// Erasure of one customer (right to be forgotten) across every tier, returning what was deleted.
// Conversations go first, identities and the customer record last, so a crashed erasure reruns to completion.
import type { Sql } from '../postgres/client.ts'
import { tenantOfCustomer, type Attribution } from '../postgres/customers.ts'
import { forgetConversationResponses } from '../postgres/idempotency.ts'
import type { PurgeCounts, Purger } from './purge.ts'

export interface ErasureReport extends PurgeCounts {
  customerId: string
  /** Jobs of the customer's conversations removed from the queues (mailboxes, pools, dead letters). */
  queuedJobs: number
  /** Stored Idempotency-Key responses that named one of the customer's conversations. */
  idempotencyRecords: number
  identities: number
  /** Audit entries whose identity value was redacted (the entries stay: who linked what, when). */
  auditRedacted: number
  erasedAt: Date
}

/**
 * Removes the conversations' jobs from the queues, which storage cannot reach, and returns how many it removed;
 * the composition root supplies it. Throwing stops the erasure before anything is deleted, to be run again later.
 */
export type DequeueConversations = (conversationIds: string[]) => Promise<number>

export function createErasure(deps: { sql: Sql; purge: Purger }) {
  const { sql } = deps
  return async function eraseCustomer(customerId: string, by: Attribution, dequeue: DequeueConversations): Promise<ErasureReport> {
    // A repeated erasure finds the customer gone: its records stay with the tenant of the first one.
    const tenantId = (await tenantOfCustomer(sql, customerId)) ?? 'default'
    // Closed first: the channels refuse mail to a closed conversation, so nothing new is queued behind the sweep.
    // The tombstones keep mail that slipped past the sweep from creating the conversation again after the purge.
    const closed = await sql<{ id: string }[]>`with closed as (update conversations set status = 'closed', updated_at = now()
        where customer_id = ${customerId} returning id, tenant_id),
      tombstones as (insert into erased_conversations (id, tenant_id) select id, tenant_id from closed on conflict (id) do nothing)
      select id from closed`
    const ids = closed.map((c) => c.id)
    const queuedJobs = await dequeue(ids)
    const idempotencyRecords = await forgetConversationResponses(sql, tenantId, ids)
    const purged = await deps.purge(ids)
    return sql.begin(async (tx) => {
      // Proactive messages to the customer keep their decision and reason, not the address or the words; one not
      // yet sent never will be.
      await tx`update outreach_deliveries set address = null, text = null,
          status = case when status in ('pending', 'deferred') then 'skipped' else status end,
          reason = case when status in ('pending', 'deferred') then 'erased' else reason end
        where tenant_id = ${tenantId} and (conversation_id = any(${ids}::text[]) or address in
          (select value from customer_identities where customer_id = ${customerId} and kind = 'email'))`
      const identities = await tx`delete from customer_identities where customer_id = ${customerId} returning 1`
      const redacted = await tx`update customer_identity_audit set value = null where customer_id = ${customerId} and value is not null returning 1`
      await tx`delete from customers where id = ${customerId}`
      const report: ErasureReport = {
        customerId, ...purged, queuedJobs, idempotencyRecords,
        identities: identities.length, auditRedacted: redacted.length, erasedAt: new Date(),
      }
      await tx`insert into customer_identity_audit (tenant_id, customer_id, action, actor, reason)
        values (${tenantId}, ${customerId}, 'erase', ${by.actor}, ${by.reason ?? null})`
      await tx`insert into erasures (customer_id, tenant_id, report) values (${customerId}, ${tenantId}, ${tx.json(report as never)})`
      return report
    })
  }
}
export type EraseCustomer = ReturnType<typeof createErasure>
