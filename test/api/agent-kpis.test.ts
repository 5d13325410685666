// An agent's KPIs from what the platform recorded, scoped to the tenant, the agent and the window, with the
// autonomy they support. The API role alone runs here, so nothing but the test writes conversations.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { defineAgent, newConversation, startApiHarness, type ApiHarness } from './harness.ts'

let h: ApiHarness
beforeAll(async () => {
  h = await startApiHarness({ ROLE: 'api' })
  for (const name of ['kpi-bot', 'other-bot']) await defineAgent(h, name)
})
afterAll(() => h.close())

const modelCall = (conversationId: string, costUsd: number) => h.platform.storage.turnSteps.recordModelCall({
  id: `${conversationId}.call`, conversationId, turnId: `${conversationId}.t1`, provider: 'openai', model: 'gpt-4o-mini',
  inputTokens: 10, outputTokens: 10, cachedTokens: 0, costUsd, latencyMs: 5, fallbackPath: [], policyVersion: null, rule: null, degradedBy: null,
}, 'model.1', { text: 'ok' })

test('KPIs count what happened to the agent\'s conversations in the window, and advise the autonomy', async () => {
  const bot = { agent: 'kpi-bot' }
  const created = async () => newConversation(h, h.a.key, bot)
  const [rated5, rated3, escalated, old] = [await created(), await created(), await created(), await created()]
  await created() // stays open
  await newConversation(h, h.a.key, { agent: 'other-bot' })
  await h.platform.storage.escalations.open({ id: `${escalated}.escalation`, conversationId: escalated, reason: 'agent.escalated' })
  for (const id of [rated5, rated3, escalated, old]) expect((await h.call('POST', `/v1/conversations/${id}/close`)).status).toBe(200)
  await h.call('POST', `/v1/conversations/${rated5}/csat`, { body: { rating: 5 } })
  await h.call('POST', `/v1/conversations/${rated3}/csat`, { body: { rating: 3 } })
  await modelCall(rated5, 0.02)
  await modelCall(escalated, 0.06)
  await h.db.sql`update conversations set created_at = now() - interval '3 days' where id = ${old}`
  // Closed 2, 4 and 6 minutes after they started; a repeated close later must not move that.
  for (const [id, minutes] of [[rated5, 2], [rated3, 4], [escalated, 6]] as const) {
    await h.db.sql`update conversations set created_at = now() - interval '1 hour',
      closed_at = now() - interval '1 hour' + make_interval(mins => ${minutes}) where id = ${id}`
  }
  await h.call('POST', `/v1/conversations/${rated5}/close`)

  const res = await h.call('GET', '/v1/agents/kpi-bot/kpis?days=1')
  expect(res.status).toBe(200)
  const { kpis, autonomy } = res.body
  expect(kpis).toMatchObject({
    conversations: 4, closed: 3, contained: 2, escalated: 1, escalationRate: 0.25, csat: { average: 4, ratings: 2 },
  })
  expect(kpis.resolutionRate).toBeCloseTo(2 / 3, 6)
  expect(kpis.costPerConversationUsd).toBeCloseTo(0.02, 9)
  expect(kpis.timeToResolveP50S).toBe(240)
  expect(autonomy).toEqual({ level: 'assist', next: { level: 'execute', missing: ['4 conversations, needs 50', '2 CSAT ratings, needs 20'] } })
  expect((await h.call('GET', '/v1/agents/kpi-bot/kpis?days=7')).body.kpis.conversations).toBe(5)
})

test("another tenant sees none of it; bad input is a 4xx; the console scope is needed", async () => {
  const ofB = await h.call('GET', '/v1/agents/kpi-bot/kpis', { key: h.b.key })
  expect(ofB.body.kpis).toMatchObject({ conversations: 0, resolutionRate: null, csat: { average: null, ratings: 0 } })
  expect((await h.call('GET', '/v1/agents/kpi-bot/kpis?days=0')).body.error.code).toBe('request.invalid')
  expect((await h.call('GET', '/v1/agents/bad%20name/kpis')).status).toBe(400)
  const channelOnly = await h.tenant('tenant-kpi-channel', ['channel'])
  expect((await h.call('GET', '/v1/agents/kpi-bot/kpis', { key: channelOnly.key })).body.error.code).toBe('auth.forbidden')
})
