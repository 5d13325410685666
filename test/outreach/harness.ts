// Campaign tests' shared steps: the reply agent and a campaign applied through the API, customers of the retail
// tools picked by status, an order-delay event (one UPDATE), and waiting for a run to finish.
import type { ApiHarness } from '../api/harness.ts'
import { waitFor } from '../support/wait.ts'

export interface RetailCustomer {
  userId: string
  email: string
  orderId: string
}

/** Customers who each have a pending order (one order each, in user order). */
export async function pendingCustomers(h: ApiHarness, count: number): Promise<RetailCustomer[]> {
  return h.platform.storage.sql<RetailCustomer[]>`select distinct on (o.user_id) o.user_id as "userId", lower(u.email) as email, o.order_id as "orderId"
    from retail_orders o join retail_users u using (user_id) where o.status = 'pending' order by o.user_id, o.order_id limit ${count}`
}

export async function applyReplyAgent(h: ApiHarness, name = 'notifier'): Promise<void> {
  const res = await h.call('PUT', `/v1/agents/${name}`, { body: { spec: { instructions: 'You answer replies to our proactive messages.', tools: ['retail/*'] } } })
  if (res.status >= 300) throw new Error(`agent: ${res.status} ${JSON.stringify(res.body)}`)
}

export async function applyCampaign(h: ApiHarness, name: string, spec: Record<string, unknown>): Promise<void> {
  const res = await h.call('PUT', `/v1/campaigns/${name}`, { body: { spec } })
  if (res.status >= 300) throw new Error(`campaign: ${res.status} ${JSON.stringify(res.body)}`)
}

/** Moves the orders to `status` in one statement: one transaction, one occurrence. */
export async function moveOrders(h: ApiHarness, orderIds: string[], status: string): Promise<void> {
  await h.platform.storage.sql`update retail_orders set status = ${status} where order_id = any(${orderIds}::text[])`
}

export async function waitForRun(h: ApiHarness, campaign: string, predicate: (run: any) => boolean = (r) => r.status === 'done', timeoutMs = 20_000): Promise<any> {
  return waitFor(async () => {
    const list = await h.call('GET', `/v1/campaigns/${campaign}/runs`)
    const run = list.body.data?.find(predicate)
    if (!run) return undefined
    return (await h.call('GET', `/v1/campaigns/${campaign}/runs/${run.id}`)).body
  }, timeoutMs, `a run of ${campaign}`)
}

/** The outreach messages each customer's conversations hold, by retail user id. */
export async function outreachMessages(h: ApiHarness, tenantId: string, campaign: string): Promise<Map<string, string[]>> {
  const rows = await h.platform.storage.sql<{ customerRef: string; text: string }[]>`select d.customer_ref as "customerRef", m.text
    from messages m join conversations c on c.id = m.conversation_id
    join outreach_deliveries d on d.id = m.id join outreach_runs r on r.id = d.run_id
    where r.tenant_id = ${tenantId} and r.campaign = ${campaign} and m.role = 'assistant'`
  const out = new Map<string, string[]>()
  for (const r of rows) out.set(r.customerRef, [...(out.get(r.customerRef) ?? []), r.text])
  return out
}

/** Quiet hours around now in UTC: a customer whose zone is UTC is inside them, the US and Tokyo are not. */
export function quietNowInUtc(now = Date.now()): { start: string; end: string } {
  const hhmm = (ms: number) => new Date(ms).toISOString().slice(11, 16)
  return { start: hhmm(now - 3_600_000), end: hhmm(now + 3_600_000) }
}
