// The data subject access export: everything held about one customer, from every tier, as one JSON document.
// Archived conversations are read from their objects in place (an export never re-warms anything).
import type { Archiver } from '../archive/archiver.ts'
import { collect } from '../archive/archive-sql.ts'
import type { Sql } from '../postgres/client.ts'
import type { Customer, Customers, IdentityAuditEntry } from '../postgres/customers.ts'

export interface ExportedConversation {
  tier: 'warm' | 'cold'
  /** The conversation row as stored. */
  conversation: Record<string, unknown>
  /** Rows per table (messages, turn_steps, provider_calls, tool_calls, escalations, reply_drafts), as stored. */
  tables: Record<string, Record<string, unknown>[]>
}

export interface CustomerExport {
  format: 'switchboard.dsar/v1'
  generatedAt: string
  customer: Customer | null
  identityAudit: IdentityAuditEntry[]
  erasures: Record<string, unknown>[]
  conversations: ExportedConversation[]
  /** Proactive messages decided for the customer (sent, deferred, skipped with the reason) and their consent. */
  outreach: { deliveries: Record<string, unknown>[]; consent: Record<string, unknown>[] }
}

type ArchiveDoc = Omit<ExportedConversation, 'tier'>

export function createCustomerExport(deps: { sql: Sql; customers: Customers; archiver: Pick<Archiver, 'readDoc'> }) {
  const { sql } = deps

  /** A conversation's parts: the archive when archived, plus any warm rows written since. */
  async function conversationParts(id: string, archived: boolean): Promise<ExportedConversation[]> {
    const parts: ExportedConversation[] = []
    const cold = archived ? await deps.archiver.readDoc(id) : undefined
    if (cold) parts.push({ tier: 'cold', ...(JSON.parse(cold.doc) as ArchiveDoc) })
    const warm = await collect(sql, id)
    const doc = warm && (JSON.parse(warm.doc) as ArchiveDoc)
    if (doc && (!cold || Object.values(doc.tables).some((rows) => rows.length > 0))) parts.push({ tier: 'warm', ...doc })
    return parts.map(({ tier, conversation, tables }) => ({ tier, conversation, tables }))
  }

  return async function exportCustomer(customerId: string): Promise<CustomerExport> {
    const conversations = await sql<{ id: string; archived: boolean }[]>`select id, archived_at is not null as archived
      from conversations where customer_id = ${customerId} order by created_at, id`
    const parts = await Promise.all(conversations.map((c) => conversationParts(c.id, c.archived)))
    const ids = conversations.map((c) => c.id)
    // A campaign knows the customer by the tools' id and the address it wrote to: matched as erasure matches them.
    const theirs = sql`(d.conversation_id = any(${ids}::text[]) or d.address in
      (select value from customer_identities where customer_id = ${customerId} and kind = 'email'))`
    const deliveries = await sql`select d.*, r.campaign from outreach_deliveries d join outreach_runs r on r.id = d.run_id
      where ${theirs} order by d.decided_at, d.id`
    const consent = await sql`select c.* from outreach_consent c where exists (select 1 from outreach_deliveries d
      where d.tenant_id = c.tenant_id and d.customer_ref = c.customer_ref and ${theirs}) order by c.updated_at, c.channel`
    return {
      format: 'switchboard.dsar/v1',
      generatedAt: new Date().toISOString(),
      customer: (await deps.customers.get(customerId)) ?? null,
      identityAudit: await deps.customers.auditTrail(customerId),
      erasures: await sql`select report, at from erasures where customer_id = ${customerId} order by id`,
      conversations: parts.flat(),
      outreach: { deliveries: [...deliveries], consent: [...consent] },
    }
  }
}
export type ExportCustomer = ReturnType<typeof createCustomerExport>
