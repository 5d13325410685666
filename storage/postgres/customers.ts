// Customers and their identities across channels: an email, a phone or an external id maps to one customer.
// Linking is explicit and audited; an identity owned by another customer is a conflict, never a silent move.
import { TerminalError } from '../../lib/errors.ts'
import type { TransactionSql } from 'postgres'
import type { Sql } from './client.ts'

export type IdentityKind = 'email' | 'phone' | 'external'

export interface Identity {
  kind: IdentityKind
  /** Email address, phone number, or `system:id` for an external id (e.g. `zendesk:4711`). */
  value: string
}

export interface Customer {
  id: string
  tenantId: string
  createdAt: Date
  identities: Identity[]
}

export interface IdentityAuditEntry {
  action: 'create' | 'link' | 'unlink' | 'erase'
  kind: IdentityKind | null
  value: string | null
  actor: string
  reason: string | null
  at: Date
}

/** Who asked for a change and why, recorded with it. */
export interface Attribution {
  actor: string
  reason?: string
}

/** Emails compare case-insensitively, phones by their digits; external ids are taken as given. */
export function normalizeIdentity(identity: Identity): Identity {
  const value = identity.value.trim()
  switch (identity.kind) {
    case 'email': return { kind: 'email', value: value.toLowerCase() }
    case 'phone': return { kind: 'phone', value: `+${value.replace(/\D/g, '')}` }
    case 'external': return { kind: 'external', value }
  }
}

export function createCustomers(sql: Sql) {
  async function resolve(tenantId: string, identity: Identity): Promise<string | undefined> {
    const { kind, value } = normalizeIdentity(identity)
    const [row] = await sql<{ customerId: string }[]>`select customer_id as "customerId" from customer_identities
      where tenant_id = ${tenantId} and kind = ${kind} and value = ${value}`
    return row?.customerId
  }

  /** Links the identity to the customer. Idempotent; a conflict when another customer holds it. */
  async function link(tenantId: string, customerId: string, identity: Identity, by: Attribution): Promise<void> {
    const { kind, value } = normalizeIdentity(identity)
    await sql.begin(async (tx) => {
      const [row] = await tx<{ customerId: string; inserted: boolean }[]>`
        insert into customer_identities (tenant_id, kind, value, customer_id) values (${tenantId}, ${kind}, ${value}, ${customerId})
        on conflict (tenant_id, kind, value) do update set kind = excluded.kind
        returning customer_id as "customerId", (xmax = 0) as inserted`
      if (row?.customerId !== customerId) throw new TerminalError('conflict', `${kind} identity already belongs to another customer`)
      if (row.inserted) await audit(tx, tenantId, customerId, 'link', { kind, value }, by)
    })
  }

  /** The customer holding the identity, created (and audited) when there is none. */
  async function identify(tenantId: string, identity: Identity, by: Attribution): Promise<{ customerId: string; created: boolean }> {
    const existing = await resolve(tenantId, identity)
    if (existing) return { customerId: existing, created: false }
    const customerId = `cus_${crypto.randomUUID()}`
    const { kind, value } = normalizeIdentity(identity)
    const lost = new Error('identity taken meanwhile')
    // Two first contacts racing on one identity: the loser's transaction rolls back and it adopts the winner's customer.
    const created = await sql.begin(async (tx) => {
      await tx`insert into customers (id, tenant_id) values (${customerId}, ${tenantId})`
      const rows = await tx`insert into customer_identities (tenant_id, kind, value, customer_id)
        values (${tenantId}, ${kind}, ${value}, ${customerId}) on conflict do nothing returning 1`
      if (rows.length === 0) throw lost
      await audit(tx, tenantId, customerId, 'create', undefined, by)
      await audit(tx, tenantId, customerId, 'link', { kind, value }, by)
    }).then(() => true, (e) => (e === lost ? false : Promise.reject(e)))
    return created ? { customerId, created } : { customerId: (await resolve(tenantId, identity))!, created }
  }

  return {
    resolve,
    link,
    identify,
    unlink: (tenantId: string, customerId: string, identity: Identity, by: Attribution) => unlink(sql, tenantId, customerId, identity, by),
    get: (customerId: string) => getCustomer(sql, customerId),
    tenantOf: (customerId: string) => tenantOfCustomer(sql, customerId),
    /** Puts a conversation under a customer (once it is known who is writing). */
    async attachConversation(conversationId: string, customerId: string): Promise<void> {
      await sql`update conversations set customer_id = ${customerId}, updated_at = now() where id = ${conversationId}`
    },
    /** Sets (or with null clears) the customer's segment; false when the tenant has no such customer. */
    async setSegment(tenantId: string, customerId: string, segment: string | null): Promise<boolean> {
      return (await sql`update customers set segment = ${segment} where id = ${customerId} and tenant_id = ${tenantId} returning 1`).length > 0
    },
    async auditTrail(customerId: string): Promise<IdentityAuditEntry[]> {
      return sql<IdentityAuditEntry[]>`select action, kind, value, actor, reason, at from customer_identity_audit
        where customer_id = ${customerId} order by id`
    },
  }
}
export type Customers = ReturnType<typeof createCustomers>

async function audit(db: Sql | TransactionSql, tenantId: string, customerId: string, action: IdentityAuditEntry['action'], identity: Identity | undefined, by: Attribution): Promise<void> {
  await db`insert into customer_identity_audit (tenant_id, customer_id, action, kind, value, actor, reason)
    values (${tenantId}, ${customerId}, ${action}, ${identity?.kind ?? null}, ${identity?.value ?? null}, ${by.actor}, ${by.reason ?? null})`
}

async function unlink(sql: Sql, tenantId: string, customerId: string, identity: Identity, by: Attribution): Promise<boolean> {
  const { kind, value } = normalizeIdentity(identity)
  const rows = await sql`delete from customer_identities
    where tenant_id = ${tenantId} and kind = ${kind} and value = ${value} and customer_id = ${customerId} returning 1`
  if (rows.length > 0) await audit(sql, tenantId, customerId, 'unlink', { kind, value }, by)
  return rows.length > 0
}

/** The tenant that holds the customer, or held it until its first erasure (whose record stays with that tenant). */
export async function tenantOfCustomer(sql: Sql, customerId: string): Promise<string | undefined> {
  const [row] = await sql<{ tenantId: string }[]>`select "tenantId" from (
      select tenant_id as "tenantId", 0 as rank, null::bigint as id from customers where id = ${customerId}
      union all select tenant_id, 1, id from erasures where customer_id = ${customerId}) t
    order by rank, id limit 1`
  return row?.tenantId
}

async function getCustomer(sql: Sql, customerId: string): Promise<Customer | undefined> {
  const [row] = await sql<Omit<Customer, 'identities'>[]>`select id, tenant_id as "tenantId", created_at as "createdAt"
    from customers where id = ${customerId}`
  if (!row) return undefined
  const identities = await sql<Identity[]>`select kind, value from customer_identities where customer_id = ${customerId} order by kind, value`
  return { ...row, identities: [...identities] }
}
