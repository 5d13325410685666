// Erasure of one customer (right to be forgotten) across every tier, returning what was deleted.
// Conversations go first, identities and the customer record last, so a crashed erasure reruns to completion.
import type { Sql } from '../postgres/client.ts'
import type { Attribution } from '../postgres/customers.ts'
import type { PurgeCounts, Purger } from './purge.ts'

export interface ErasureReport extends PurgeCounts {
  customerId: string
  identities: number
  /** Audit entries whose identity value was redacted (the entries stay: who linked what, when). */
  auditRedacted: number
  erasedAt: Date
}

export function createErasure(deps: { sql: Sql; purge: Purger }) {
  const { sql } = deps
  return async function eraseCustomer(customerId: string, by: Attribution): Promise<ErasureReport> {
    const conversations = await sql<{ id: string }[]>`select id from conversations where customer_id = ${customerId}`
    const purged = await deps.purge(conversations.map((c) => c.id))
    const [customer] = await sql<{ tenantId: string }[]>`select tenant_id as "tenantId" from customers where id = ${customerId}`
    return sql.begin(async (tx) => {
      const identities = await tx`delete from customer_identities where customer_id = ${customerId} returning 1`
      const redacted = await tx`update customer_identity_audit set value = null where customer_id = ${customerId} and value is not null returning 1`
      await tx`delete from customers where id = ${customerId}`
      const report: ErasureReport = {
        customerId, ...purged, identities: identities.length, auditRedacted: redacted.length, erasedAt: new Date(),
      }
      const tenantId = customer?.tenantId ?? 'default'
      await tx`insert into customer_identity_audit (tenant_id, customer_id, action, actor, reason)
        values (${tenantId}, ${customerId}, 'erase', ${by.actor}, ${by.reason ?? null})`
      await tx`insert into erasures (customer_id, tenant_id, report) values (${customerId}, ${tenantId}, ${tx.json(report as never)})`
      return report
    })
  }
}
export type EraseCustomer = ReturnType<typeof createErasure>
