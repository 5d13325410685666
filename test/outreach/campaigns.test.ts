// Campaigns end to end on an in-process platform (API and worker, real Redis and Postgres): an order-delay
// event reaches each affected customer once and nobody restraint excludes; deferred messages come due (consent
// checked again, held while paused); the reply agent sees why we wrote; "stop" opts out; a ticket webhook
// reaches its requester once; erasure reaches the deliveries; a dry run sends nothing; pause and resume.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { Queue } from 'bullmq'
import { names } from '../../queues/index.ts'
import type { ModelGateway, ProviderMessage } from '../../providers/index.ts'
import { startApiHarness, type ApiHarness } from '../api/harness.ts'
import { waitFor } from '../support/wait.ts'
import { applyCampaign, applyReplyAgent, moveOrders, outreachMessages, pendingCustomers, quietNowInUtc, waitForRun, type RetailCustomer } from './harness.ts'

let h: ApiHarness
let customers: RetailCustomer[]
const TENANT = 'tenant-a'

const delaySpec = () => ({
  description: 'orders delayed at the warehouse',
  trigger: { event: { type: 'order.status_changed', to: ['delayed'] } },
  audience: { source: 'retail.orders', where: [] },
  message: { template: 'Hi {{first_name}}, order {{order_ids}} is delayed.' },
  channel: 'email',
  replyAgent: 'notifier',
  quietHours: { ...quietNowInUtc(), defaultTimeZone: 'Asia/Tokyo' },
  frequencyCap: { max: 1, periodHours: 24 },
})

// The reply agent's model: answers (claiming nothing the output checks would refuse), and keeps what it was shown.
const prompts: ProviderMessage[][] = []
const gateway: ModelGateway = {
  async complete(req) {
    prompts.push(req.messages)
    const response = { provider: 'script', model: 'script', stopReason: 'end' as const, usage: { inputTokens: 1, outputTokens: 1, cachedTokens: 0 }, text: 'Thank you for your reply; I have noted it.', toolCalls: [] }
    return { response, costUsd: 0, path: ['script:script'] }
  },
}

beforeAll(async () => {
  // Small pages, so a run over the shop's 500 customers has a hundred places to pause.
  h = await startApiHarness({ OUTREACH_TICK_MS: '100', OUTREACH_PAGE_SIZE: '5' }, { gateway })
  await applyReplyAgent(h)
  customers = await pendingCustomers(h, 7)
  const { storage } = h.platform
  const [, optedOut, escalated, night, suppressed] = customers
  // Opted out on email, an open escalation, a customer whose night it is, a suppressed address.
  expect((await h.call('PUT', `/v1/outreach/customers/${optedOut!.userId}/consent/email`, { body: { status: 'out' } })).status).toBe(200)
  const { customerId } = await storage.customers.identify(TENANT, { kind: 'email', value: escalated!.email }, { actor: 'test' })
  await storage.conversations.ensure({ id: 'escalated-conv', tenantId: TENANT, customerId, channel: 'chat' })
  await storage.escalations.open({ id: 'esc-1', conversationId: 'escalated-conv', reason: 'customer.asked' })
  expect((await h.call('PUT', `/v1/outreach/customers/${night!.userId}/time-zone`, { body: { timeZone: 'UTC' } })).status).toBe(200)
  expect((await h.call('PUT', `/v1/outreach/suppressions/${encodeURIComponent(suppressed!.email.toUpperCase())}`, { body: {} })).status).toBe(200)
  await applyCampaign(h, 'delay', delaySpec())
}, 60_000)

afterAll(() => h.close())

describe('an order-delay event', () => {
  test('reaches each affected customer once, and none opted out, escalated, suppressed or in their night', async () => {
    await moveOrders(h, customers.map((c) => c.orderId), 'delayed')
    const run = await waitForRun(h, 'delay')
    expect(run.occurrence).toMatch(/^order-tx:\d+$/)
    expect(run.progress).toMatchObject({ total: 7, decided: 7, fraction: 1 })
    expect(run.progress.skippedByReason).toEqual({ opted_out: 1, escalation_open: 1, suppressed: 1 })
    expect(run.progress.byStatus).toMatchObject({ sent: 3, deferred: 1, skipped: 3 })
    // A row is marked sent once its mail is queued; the conversation actors write the messages right after.
    const messages = await waitFor(async () => {
      const m = await outreachMessages(h, TENANT, 'delay')
      return m.size === 3 && m
    }, 10_000, 'the three messages written')
    const [first, optedOut, escalated, night, suppressed, ...rest] = customers
    for (const c of [first!, ...rest]) expect(messages.get(c.userId)).toEqual([expect.stringContaining(`order ${c.orderId} is delayed`)])
    for (const c of [optedOut!, escalated!, night!, suppressed!]) expect(messages.has(c.userId)).toBe(false)
    const decisions = (await h.call('GET', `/v1/campaigns/delay/runs/${run.id}/decisions?status=deferred`)).body.data
    expect(decisions).toEqual([expect.objectContaining({ customer: night!.userId, status: 'deferred' })])
    // Deferred to the end of quiet hours, about an hour from now, and waiting on the outreach pool.
    const due = Date.parse(decisions[0].dueAt)
    expect(due).toBeGreaterThan(Date.now() + 55 * 60_000)
    expect(due).toBeLessThan(Date.now() + 61 * 60_000)
    const pool = new Queue(names.pool('outreach'), { connection: h.redis.client, prefix: h.redis.prefix })
    const job = await waitFor(() => pool.getJob(`${run.id}.${night!.userId}.s1`), 5000, 'the deferred job')
    expect(await job.isDelayed()).toBe(true)
    // The conversation is answered by the campaign's reply agent.
    const [conv] = await h.platform.storage.sql`select agent, channel from conversations where id = ${decisions[0].conversationId}`
    expect(conv).toEqual({ agent: 'notifier', channel: 'email' })
    // Its time comes: it goes out then, once.
    await job.promote()
    await waitFor(async () => (await outreachMessages(h, TENANT, 'delay')).has(night!.userId), 10_000, 'the deferred message')
    await pool.close()
    expect((await h.call('GET', `/v1/campaigns/delay/runs/${run.id}`)).body.progress.byStatus).toMatchObject({ sent: 4 })
  })

  test('a reply is answered by the reply agent, with our message before the customer\'s words', async () => {
    const run = await waitForRun(h, 'delay')
    const [d] = (await h.call('GET', `/v1/campaigns/delay/runs/${run.id}/decisions?status=sent&limit=2`)).body.data.slice(1)
    expect((await h.call('POST', `/v1/conversations/${d.conversationId}/messages`, { body: { text: 'When will it arrive?' } })).status).toBe(202)
    const prompt = await waitFor(async () => prompts.find((p) => p.some((m) => m.role === 'user' && m.content === 'When will it arrive?')), 10_000, 'the model call')
    const mine = prompt.findIndex((m) => m.role === 'assistant' && m.content === d.text)
    expect(mine).toBeGreaterThanOrEqual(0)
    expect(prompt.findIndex((m) => m.role === 'user')).toBeGreaterThan(mine)
  })

  test('a deferred message coming due checks consent again', async () => {
    const [x, y] = customers.slice(5, 7)
    await applyCampaign(h, 'late', {
      ...delaySpec(), trigger: { schedule: { cron: '0 0 1 1 *' } }, audience: { source: 'retail.users', where: [{ field: 'user_id', in: [x!.userId, y!.userId] }] },
      message: { template: 'Hi {{first_name}}' }, quietHours: { ...quietNowInUtc(), defaultTimeZone: 'UTC' }, frequencyCap: undefined,
    })
    await h.call('PUT', `/v1/outreach/customers/${x!.userId}/time-zone`, { body: { timeZone: 'UTC' } })
    await h.call('PUT', `/v1/outreach/customers/${y!.userId}/time-zone`, { body: { timeZone: 'UTC' } })
    const started = (await h.call('POST', '/v1/campaigns/late/runs', { body: {} })).body
    const run = await waitForRun(h, 'late', (r) => r.id === started.id && r.status === 'done')
    expect(run.progress.byStatus).toEqual({ deferred: 2 })
    await h.call('PUT', `/v1/outreach/customers/${x!.userId}/consent/email`, { body: { status: 'out' } })
    const pool = new Queue(names.pool('outreach'), { connection: h.redis.client, prefix: h.redis.prefix })
    for (const c of [x!, y!]) await (await waitFor(() => pool.getJob(`${run.id}.${c.userId}.s1`), 5000, 'a deferred job')).promote()
    await pool.close()
    const decided = await waitFor(async () => {
      const p = (await h.call('GET', `/v1/campaigns/late/runs/${run.id}`)).body.progress
      return p.byStatus.deferred === undefined && p
    }, 10_000, 'both to come due')
    expect(decided).toMatchObject({ byStatus: { sent: 1, skipped: 1 }, skippedByReason: { opted_out: 1 } })
    // The row is marked once the mail is queued; the conversation actor writes the message right after.
    await waitFor(async () => (await outreachMessages(h, TENANT, 'late')).has(y!.userId), 10_000, 'the message written')
    expect([...(await outreachMessages(h, TENANT, 'late')).keys()]).toEqual([y!.userId])
    await h.call('PUT', `/v1/outreach/customers/${x!.userId}/consent/email`, { body: { status: 'in' } })
  })

  test('a deferred message that comes due while its campaign is paused goes out after the resume', async () => {
    const z = customers[3]!
    await applyCampaign(h, 'paused-late', {
      ...delaySpec(), trigger: { schedule: { cron: '0 0 1 1 *' } }, audience: { source: 'retail.users', where: [{ field: 'user_id', in: [z.userId] }] },
      message: { template: 'Hi {{first_name}}, later' }, quietHours: { ...quietNowInUtc(), defaultTimeZone: 'UTC' }, frequencyCap: undefined,
    })
    const started = (await h.call('POST', '/v1/campaigns/paused-late/runs', { body: {} })).body
    const run = await waitForRun(h, 'paused-late', (r) => r.id === started.id && r.status === 'done')
    expect(run.progress.byStatus).toEqual({ deferred: 1 })
    // A finished run with a message still deferred has work left: pausing the campaign pauses it.
    expect((await h.call('POST', '/v1/campaigns/paused-late/pause')).body.runs).toEqual([run.id])
    const pool = new Queue(names.pool('outreach'), { connection: h.redis.client, prefix: h.redis.prefix })
    const first = await waitFor(() => pool.getJob(`${run.id}.${z.userId}.s1`), 5000, 'the deferred job')
    await first.promote()
    await waitFor(async () => (await first.getState()) === 'completed', 10_000, 'the due job to find the campaign paused')
    expect((await h.call('GET', `/v1/campaigns/paused-late/runs/${run.id}`)).body.progress.byStatus).toEqual({ deferred: 1 })
    // Resuming puts the run back to work: its deferred message is scheduled again, and goes out once.
    expect((await h.call('POST', '/v1/campaigns/paused-late/resume')).body.runs).toEqual([run.id])
    const again = await waitFor(() => pool.getJob(`${run.id}.${z.userId}.s2`), 10_000, 'the job scheduled again')
    await again.promote()
    await waitFor(async () => (await outreachMessages(h, TENANT, 'paused-late')).get(z.userId)?.length === 1, 10_000, 'the message sent')
    await pool.close()
  })

  test('"stop" in a reply opts the customer out of the channel, and the KPIs count the reply', async () => {
    const [d] = (await h.call('GET', `/v1/campaigns/delay/runs/${(await waitForRun(h, 'delay')).id}/decisions?status=sent&limit=1`)).body.data
    const res = await h.call('POST', `/v1/conversations/${d.conversationId}/messages`, { body: { text: 'STOP' } })
    expect(res.status).toBe(202)
    await waitFor(async () => {
      const rows = await h.platform.storage.sql`select text from messages where conversation_id = ${d.conversationId} and role = 'assistant' order by seq`
      return rows.length === 2 && rows[1]!.text.includes('unsubscribed')
    }, 10_000, 'the unsubscribe confirmation')
    const consent = (await h.call('GET', `/v1/outreach/customers/${d.customer}/consent`)).body.data
    expect(consent).toEqual([expect.objectContaining({ channel: 'email', status: 'out', source: expect.stringMatching(/^reply:run_/) })])
    const kpis = (await h.call('GET', '/v1/campaigns/delay/kpis')).body
    expect(kpis).toMatchObject({ sent: 4, replied: 2, optedOut: 1, skippedByReason: { opted_out: 1, escalation_open: 1, suppressed: 1 } })
  })

  test('a ticket webhook reaches the ticket\'s requester once, however often it is delivered', async () => {
    const requester = customers[6]!
    await applyCampaign(h, 'follow-up', {
      ...delaySpec(), trigger: { event: { type: 'ticket.updated', to: ['solved'] } }, audience: { source: 'retail.users', where: [] },
      message: { template: 'Hi {{first_name}}, was your issue solved?' }, quietHours: undefined, frequencyCap: undefined,
    })
    const webhook = (status: string) => h.call('POST', '/v1/tickets/generic', {
      body: { event: 'ticket.updated', ticket: { id: 'T-77', status, requester: { email: requester.email.toUpperCase() } } },
    })
    expect((await webhook('open')).status).toBe(202)
    for (let i = 0; i < 2; i++) expect((await webhook('solved')).status).toBe(202)
    const run = await waitForRun(h, 'follow-up')
    expect(run.occurrence).toBe('ticket:generic:T-77:solved')
    expect(run.progress).toMatchObject({ total: 1, byStatus: { sent: 1 } })
    await waitFor(async () => (await h.platform.storage.sql`select 1 from outreach_ticket_events`).length === 0, 5000, 'the events drained')
    expect((await h.call('GET', '/v1/campaigns/follow-up/runs')).body.data).toHaveLength(1)
    await waitFor(async () => (await outreachMessages(h, TENANT, 'follow-up')).has(requester.userId), 10_000, 'the message written')
    expect((await outreachMessages(h, TENANT, 'follow-up')).get(requester.userId)).toEqual([expect.stringMatching(/^Hi .+, was your issue solved\?$/)])
  })

  test('the customer\'s data export lists the messages we sent them; erasing them erases the address and the words', async () => {
    const requester = customers[6]!
    const customerId = await h.platform.storage.customers.resolve(TENANT, { kind: 'email', value: requester.email })
    const exported = (await h.call('GET', `/v1/customers/${customerId}/export`)).body
    const sent = exported.outreach.deliveries.filter((d: { customer_ref: string }) => d.customer_ref === requester.userId)
    expect(sent.length).toBeGreaterThanOrEqual(2)
    expect(sent.every((d: { address: string; campaign: string }) => d.address === requester.email.toLowerCase() && d.campaign)).toBe(true)
    expect((await h.call('POST', `/v1/customers/${customerId}/erase`, { body: { reason: 'asked' } })).status).toBe(200)
    const rows = await h.platform.storage.sql`select address, text, status from outreach_deliveries where customer_ref = ${requester.userId} and tenant_id = ${TENANT}`
    expect(rows.length).toBeGreaterThanOrEqual(2)
    for (const r of rows) expect(r).toMatchObject({ address: null, text: null })
  })

  test('a dry run over the whole audience says who and why, and sends nothing', async () => {
    const before = await h.platform.storage.sql`select (select count(*) from messages)::int as m, (select count(*) from conversations)::int as c`
    const started = await h.call('POST', '/v1/campaigns/delay/runs', { body: { dryRun: true } })
    expect(started.status).toBe(202)
    const run = await waitForRun(h, 'delay', (r) => r.id === started.body.id && r.status === 'done')
    expect(run.progress.total).toBeGreaterThan(100)
    expect(run.progress.decided).toBe(run.progress.total)
    // Those contacted today are capped, the one who said stop is opted out; everyone else would be contacted.
    expect(run.progress.skippedByReason).toMatchObject({ frequency_cap: 3, opted_out: 2, escalation_open: 1, suppressed: 1 })
    expect(run.progress.byStatus.would_send).toBeGreaterThan(50)
    expect(run.progress.byStatus.sent).toBeUndefined()
    const after = await h.platform.storage.sql`select (select count(*) from messages)::int as m, (select count(*) from conversations)::int as c`
    expect(after).toEqual(before)
  })

  test('a paused run stops between pages and resumes where it stopped', async () => {
    await applyCampaign(h, 'everyone', {
      ...delaySpec(), trigger: { schedule: { cron: '0 0 1 1 *' } }, audience: { source: 'retail.users', where: [] }, message: { template: 'Hi {{first_name}}' },
      quietHours: undefined, frequencyCap: undefined,
    })
    const started = (await h.call('POST', '/v1/campaigns/everyone/runs', { body: { dryRun: true } })).body
    const progress = async () => (await h.call('GET', `/v1/campaigns/everyone/runs/${started.id}`)).body
    await waitFor(async () => (await progress()).progress.decided >= 20, 10_000, 'a few pages decided')
    expect((await h.call('POST', '/v1/campaigns/everyone/pause')).body).toMatchObject({ paused: true })
    // The run's job ends at the next page boundary; nothing is decided after that.
    const runs = new Queue('outreach-runs', { connection: h.redis.client, prefix: h.redis.prefix })
    await waitFor(async () => !(await runs.getJob(started.id)), 10_000, 'the run job to stop')
    await runs.close()
    const paused = await progress()
    expect(paused.status).toBe('paused')
    expect(paused.progress.total).toBeGreaterThan(400)
    expect(paused.progress.decided).toBeLessThan(paused.progress.total)
    expect((await progress()).progress.decided).toBe(paused.progress.decided)
    expect((await h.call('POST', '/v1/campaigns/everyone/resume')).body).toMatchObject({ paused: false, runs: [started.id] })
    const done = await waitForRun(h, 'everyone', (r) => r.id === started.id && r.status === 'done')
    expect(done.progress.decided).toBe(done.progress.total)
    const [dupes] = await h.platform.storage.sql`select count(*)::int as n from (select customer_ref from outreach_deliveries
      where run_id = ${started.id} group by customer_ref having count(*) > 1) d`
    expect(dupes!.n).toBe(0)
  })
})

test('two campaigns running at once share the frequency cap: each customer hears from one of them', async () => {
  const taken = new Set(customers.map((c) => c.userId))
  const users = (await h.platform.storage.sql<{ id: string }[]>`select user_id as id from retail_users order by user_id desc limit 60`)
    .map((u) => u.id).filter((id) => !taken.has(id)).slice(0, 40)
  const spec = (name: string) => ({
    ...delaySpec(), trigger: { schedule: { cron: '0 0 1 1 *' } }, audience: { source: 'retail.users', where: [{ field: 'user_id', in: users }] },
    message: { template: `{{first_name}}, news from ${name}` }, quietHours: undefined, frequencyCap: { max: 1, periodHours: 24 },
  })
  await applyCampaign(h, 'news-a', spec('a'))
  await applyCampaign(h, 'news-b', spec('b'))
  const [a, b] = await Promise.all(['news-a', 'news-b'].map((c) => h.call('POST', `/v1/campaigns/${c}/runs`, { body: {} })))
  const [ra, rb] = await Promise.all([
    waitForRun(h, 'news-a', (r) => r.id === a!.body.id && r.status === 'done'), waitForRun(h, 'news-b', (r) => r.id === b!.body.id && r.status === 'done'),
  ])
  // Pages of five from both runs interleave under the tenant's lock: neither sees the other's half-made decisions.
  expect((ra.progress.byStatus.sent ?? 0) + (rb.progress.byStatus.sent ?? 0)).toBe(users.length)
  expect((ra.progress.skippedByReason.frequency_cap ?? 0) + (rb.progress.skippedByReason.frequency_cap ?? 0)).toBe(users.length)
  const perCustomer = await h.platform.storage.sql<{ n: number }[]>`select count(*)::int as n from outreach_deliveries
    where run_id in (${ra.id}, ${rb.id}) and status = 'sent' group by customer_ref`
  expect(perCustomer.length).toBe(users.length)
  expect(perCustomer.every((r) => r.n === 1)).toBe(true)
})

test('a message the mailbox refuses skips that customer with a reason, and the run still finishes', async () => {
  const started = (await h.call('POST', '/v1/campaigns/news-a/runs', { body: { dryRun: true } })).body
  await waitForRun(h, 'news-a', (r) => r.id === started.id && r.status === 'done')
  // A row no mailbox accepts (empty text), as a decision written by an older version might be; the run picks it up again.
  await h.platform.storage.sql`insert into outreach_deliveries (id, run_id, tenant_id, customer_ref, status, address, text)
    values (${`${started.id}.poison`}, ${started.id}, ${TENANT}, 'poison', 'pending', 'poison@example.com', '')`
  await h.platform.storage.sql`update outreach_runs set status = 'queued', dry_run = false where id = ${started.id}`
  const run = await waitForRun(h, 'news-a', (r) => r.id === started.id && r.status === 'done')
  const [row] = (await h.call('GET', `/v1/campaigns/news-a/runs/${run.id}/decisions?status=skipped`)).body.data.filter((d: any) => d.customer === 'poison')
  expect(row).toMatchObject({ status: 'skipped', reason: 'undeliverable' })
})
