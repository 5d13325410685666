// Outbound webhook subscriptions of a tenant and the state of every delivery (pending → delivered | dead).
import { randomBytes } from 'node:crypto'
import type { Sql } from './client.ts'

export interface WebhookSubscription {
  id: string
  tenantId: string
  url: string
  events: string[]
  createdAt: Date
  disabledAt: Date | null
}

export type DeliveryStatus = 'pending' | 'delivered' | 'dead'

export interface WebhookDelivery {
  id: string
  subscriptionId: string
  conversationId: string
  eventType: string
  payload: Record<string, unknown>
  status: DeliveryStatus
  attempts: number
  lastStatusCode: number | null
  lastError: string | null
  createdAt: Date
  updatedAt: Date
}

export interface NewDelivery {
  id: string
  subscriptionId: string
  tenantId: string
  conversationId: string
  eventType: string
  payload: Record<string, unknown>
}

/** What the sender needs: the delivery with its subscription's target and secret. */
export interface DeliveryTarget {
  delivery: WebhookDelivery
  url: string
  secret: string
  active: boolean
}

export interface AttemptResult {
  ok: boolean
  statusCode?: number
  error?: string
  /** No further attempt will be made: a failure becomes `dead`. */
  final: boolean
}

const subColumns = (sql: Sql) => sql`id, tenant_id as "tenantId", url, events, created_at as "createdAt",
  disabled_at as "disabledAt"`
const deliveryColumns = (sql: Sql) => sql`d.id, d.subscription_id as "subscriptionId", d.conversation_id as "conversationId",
  d.event_type as "eventType", d.payload, d.status, d.attempts, d.last_status_code as "lastStatusCode",
  d.last_error as "lastError", d.created_at as "createdAt", d.updated_at as "updatedAt"`

export function createWebhooks(sql: Sql) {
  return {
    /** Creates a subscription; the signing secret is returned here only. */
    async subscribe(tenantId: string, url: string, events: string[]): Promise<{ subscription: WebhookSubscription; secret: string }> {
      const secret = `whsec_${randomBytes(24).toString('base64url')}`
      const id = `whk_${Bun.randomUUIDv7().replaceAll('-', '')}`
      const [subscription] = await sql<WebhookSubscription[]>`insert into webhook_subscriptions (id, tenant_id, url, events, secret)
        values (${id}, ${tenantId}, ${url}, ${events}, ${secret}) returning ${subColumns(sql)}`
      return { subscription: subscription!, secret }
    },
    async list(tenantId: string): Promise<WebhookSubscription[]> {
      return sql<WebhookSubscription[]>`select ${subColumns(sql)} from webhook_subscriptions
        where tenant_id = ${tenantId} order by created_at`
    },
    async get(tenantId: string, id: string): Promise<WebhookSubscription | undefined> {
      const [row] = await sql<WebhookSubscription[]>`select ${subColumns(sql)} from webhook_subscriptions
        where tenant_id = ${tenantId} and id = ${id}`
      return row
    },
    async disable(tenantId: string, id: string): Promise<boolean> {
      const rows = await sql`update webhook_subscriptions set disabled_at = coalesce(disabled_at, now())
        where tenant_id = ${tenantId} and id = ${id} returning id`
      return rows.length === 1
    },
    /** Active subscriptions of the tenant that want this event type. */
    async matching(tenantId: string, eventType: string): Promise<WebhookSubscription[]> {
      return sql<WebhookSubscription[]>`select ${subColumns(sql)} from webhook_subscriptions
        where tenant_id = ${tenantId} and disabled_at is null and ${eventType} = any (events)`
    },
    /** Tenants with at least one active subscription. */
    async subscribedTenants(): Promise<string[]> {
      const rows = await sql<{ tenantId: string }[]>`select distinct tenant_id as "tenantId" from webhook_subscriptions
        where disabled_at is null`
      return rows.map((r) => r.tenantId)
    },
    /** Records the delivery once per id; false when it already existed. */
    async enqueue(d: NewDelivery): Promise<boolean> {
      const rows = await sql`insert into webhook_deliveries (id, subscription_id, tenant_id, conversation_id, event_type, payload)
        values (${d.id}, ${d.subscriptionId}, ${d.tenantId}, ${d.conversationId}, ${d.eventType}, ${sql.json(d.payload as never)})
        on conflict (id) do nothing returning id`
      return rows.length === 1
    },
    async target(deliveryId: string): Promise<DeliveryTarget | undefined> {
      const [row] = await sql<(WebhookDelivery & { url: string; secret: string; active: boolean })[]>`
        select ${deliveryColumns(sql)}, s.url, s.secret, s.disabled_at is null as active
        from webhook_deliveries d join webhook_subscriptions s on s.id = d.subscription_id where d.id = ${deliveryId}`
      if (!row) return undefined
      const { url, secret, active, ...delivery } = row
      return { delivery, url, secret, active }
    },
    async recordAttempt(deliveryId: string, r: AttemptResult): Promise<void> {
      const status: DeliveryStatus = r.ok ? 'delivered' : r.final ? 'dead' : 'pending'
      await sql`update webhook_deliveries set attempts = attempts + 1, status = ${status},
        last_status_code = ${r.statusCode ?? null}, last_error = ${r.error?.slice(0, 500) ?? null}, updated_at = now()
        where id = ${deliveryId} and status = 'pending'`
    },
    async deliveries(tenantId: string, subscriptionId: string, f: { status?: DeliveryStatus; limit: number }): Promise<WebhookDelivery[]> {
      return sql<WebhookDelivery[]>`select ${deliveryColumns(sql)} from webhook_deliveries d
        where d.tenant_id = ${tenantId} and d.subscription_id = ${subscriptionId}
          ${f.status ? sql`and d.status = ${f.status}` : sql``}
        order by d.created_at desc limit ${f.limit}`
    },
  }
}
export type Webhooks = ReturnType<typeof createWebhooks>
