// The KPI routes over what the platform recorded: an agent's confirmed resolutions with the autonomy they support,
// the breakdown by type, level and period, tenant scoping, and bad input answered with a code.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { insertConversation } from '../support/kpi-fixtures.ts'
import { startApiHarness, type ApiHarness } from './harness.ts'

const DAY = 86_400_000
let h: ApiHarness
beforeAll(async () => {
  h = await startApiHarness({ ROLE: 'api' })
  const now = Date.now()
  const base = { tenant: 'tenant-a', agent: 'kpi-bot' }
  const ask = (atS: number, text = 'where is my order?') => ({ role: 'customer' as const, atS, text })
  const reply = (atS: number) => ({ role: 'assistant' as const, atS })
  // resolved in words; resolved by a 5; closed yesterday with no word (pending); silent for two days (abandoned);
  // handed off and still with a person (open)
  await insertConversation(h.db.sql, { ...base, id: 'k1', intent: 'order_status', createdAt: now - 5 * DAY,
    messages: [ask(0), reply(4), ask(30, 'that solved it, thanks')], closedAtS: 40 })
  await insertConversation(h.db.sql, { ...base, id: 'k2', intent: 'refund', createdAt: now - 4 * DAY, csat: 5, messages: [ask(0), reply(6)], closedAtS: 60 })
  await insertConversation(h.db.sql, { ...base, id: 'k3', intent: 'refund', createdAt: now - DAY, messages: [ask(0), reply(2)], closedAtS: 10 })
  await insertConversation(h.db.sql, { ...base, id: 'k4', intent: 'order_status', createdAt: now - 2 * DAY, messages: [ask(0), reply(8)] })
  await insertConversation(h.db.sql, { ...base, id: 'k5', intent: 'refund', createdAt: now - DAY, status: 'escalated',
    messages: [ask(0), reply(2)], escalation: { atS: 3, category: 'policy_restriction' } })
  await insertConversation(h.db.sql, { ...base, id: 'k6', agent: 'other-bot', createdAt: now - DAY, messages: [ask(0), reply(2)], closedAtS: 5, csat: 5 })
})
afterAll(() => h.close())

test("an agent's KPIs count confirmed resolutions only, and advise the autonomy", async () => {
  const res = await h.call('GET', '/v1/agents/kpi-bot/kpis?days=7')
  expect(res.status).toBe(200)
  const { kpis, autonomy } = res.body
  // decided: k1 k2 resolved, k4 abandoned → 2 of 3; k3 pending, k5 open
  expect(kpis).toMatchObject({ conversations: 5, resolved: 2, abandoned: 1, pending: 1, open: 1, escalated: 1, escalationRate: 0.2,
    csat: { average: 5, ratings: 1 }, firstResponse: { p50S: 4 } })
  expect(kpis.resolutionRate).toBeCloseTo(2 / 3, 12)
  expect(autonomy).toEqual({ level: 'assist', next: { level: 'execute', missing: ['5 conversations, needs 50', '1 CSAT ratings, needs 20'] } })
  expect((await h.call('GET', '/v1/agents/kpi-bot/kpis?days=3')).body.kpis.conversations).toBe(3)
})

test('the breakdown by type and period, with the trend', async () => {
  const res = await h.call('GET', '/v1/kpis?days=7&agent=kpi-bot&groupBy=intent&period=day')
  expect(res.status).toBe(200)
  expect(res.body.groups.filter((g: { key: { intent: string } }) => g.key.intent === 'refund')
    .reduce((n: number, g: { kpis: { conversations: number } }) => n + g.kpis.conversations, 0)).toBe(3)
  expect(res.body.series.length).toBe(4)
  expect(res.body.total.conversations).toBe(5)
  expect(Object.keys(res.body.trend)).toEqual(['resolutionRate', 'csat', 'costPerConversationUsd', 'escalationRate'])
  const all = await h.call('GET', '/v1/kpis?days=7&groupBy=agent')
  expect(all.body.groups.map((g: { key: { agent: string }; kpis: { conversations: number } }) => [g.key.agent, g.kpis.conversations]))
    .toEqual([['kpi-bot', 5], ['other-bot', 1]])
})

test('another tenant sees none of it; bad input is a 4xx; the console scope is needed', async () => {
  await insertConversation(h.db.sql, { id: 'b1', tenant: 'tenant-b', agent: 'kpi-bot', createdAt: Date.now() - DAY, messages: [] })
  const ofB = await h.call('GET', '/v1/agents/kpi-bot/kpis', { key: h.b.key })
  expect(ofB.body.kpis).toMatchObject({ conversations: 1, resolved: 0, resolutionRate: null, csat: { average: null, ratings: 0 } })
  expect((await h.call('GET', '/v1/agents/kpi-bot/kpis?days=0')).body.error.code).toBe('request.invalid')
  expect((await h.call('GET', '/v1/agents/bad%20name/kpis')).status).toBe(400)
  const badGroup = await h.call('GET', '/v1/kpis?groupBy=intent,colour')
  expect(badGroup.status).toBe(400)
  expect(badGroup.body.error).toMatchObject({ code: 'request.invalid', message: expect.stringContaining('colour') })
  expect((await h.call('GET', '/v1/kpis?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z')).body.error.code).toBe('request.invalid')
  expect((await h.call('GET', '/v1/kpis?period=year')).status).toBe(400)
  const channelOnly = await h.tenant('tenant-kpi-channel', ['channel'])
  expect((await h.call('GET', '/v1/agents/kpi-bot/kpis', { key: channelOnly.key })).body.error.code).toBe('auth.forbidden')
})

test("systemic-issue alerts are listed for the console, firing first, the tenant's own only", async () => {
  const alert = (tenant: string, key: string, status: string) => h.db.sql`insert into systemic_alerts (tenant_id, key, kind, value, status, count, baseline, examples, started_at, resolved_at)
    values (${tenant}, ${key}, 'intent', ${key.split(':')[1]!}, ${status}, 20, 2, ${['k1']}, now() - interval '2 hours', ${status === 'resolved' ? new Date() : null})`
  await alert('tenant-a', 'intent:refund', 'resolved')
  await alert('tenant-a', 'intent:billing', 'firing')
  await alert('tenant-b', 'intent:other', 'firing')
  const res = await h.call('GET', '/v1/alerts')
  expect(res.status).toBe(200)
  expect(res.body.data.map((a: { key: string; status: string }) => [a.key, a.status])).toEqual([['intent:billing', 'firing'], ['intent:refund', 'resolved']])
  expect(res.body.data[0]).toMatchObject({ count: 20, baseline: 2, examples: ['k1'], resolvedAt: null })
})
