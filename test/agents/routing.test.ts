// Routing rules on intent and segment fire for the turns that match them: every turn carries the intent the
// offline model classified and the customer's segment set by the tenant, whatever model answers.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startAgentsHarness, type AgentsHarness } from './harness.ts'

const POLICY = `
apiVersion: switchboard.dev/v1alpha1
kind: RoutingPolicy
metadata: { name: by-customer }
spec:
  version: "7"
  models:
    gpt-4o: { provider: openai, pricePerMTok: { input: 2.5, output: 10 } }
    gpt-4o-mini: { provider: openai, pricePerMTok: { input: 0.15, output: 0.6 } }
    local: { provider: local, pricePerMTok: { input: 0, output: 0 } }
  rules:
    - { name: vip-best-model, match: { segment: [vip] }, chain: [gpt-4o] }
    - { name: cancellations-small-model, match: { intent: [cancel_order] }, chain: [gpt-4o-mini] }
  default: { chain: [local] }
`
let h: AgentsHarness
const dir = mkdtempSync(join(tmpdir(), 'agent-routing-'))

beforeAll(async () => {
  writeFileSync(join(dir, 'routing.yaml'), POLICY)
  h = await startAgentsHarness({ ROUTING_POLICY: join(dir, 'routing.yaml') })
  h.emu.script({ reply: { text: 'Routed.' }, repeat: true })
  await h.put('agents', 'routed', { instructions: 'You help customers.', model: { routingPolicy: 'by-customer' } })
})
afterAll(async () => {
  await h.close()
  rmSync(dir, { recursive: true, force: true })
})

async function turnOf(customer: Record<string, unknown>, text: string) {
  const conversationId = await h.newConversation('routed', customer)
  const turnId = await h.post(conversationId, text)
  await h.reply(turnId)
  const [call] = await h.db.sql`select model, routing_rule from provider_calls where turn_id = ${turnId}`
  const [facts] = await h.db.sql`select intent, segment from turn_facts where turn_id = ${turnId}`
  return { ...call, ...facts }
}

test('a VIP customer gets the VIP route; a cancellation gets the cancellation route; the rest the default', async () => {
  const vip = await h.newConversation('routed', { email: 'vip@example.com' })
  const customerId = (await h.call('GET', `/v1/conversations/${vip}`)).body.customerId
  expect((await h.call('PUT', `/v1/customers/${customerId}/segment`, { segment: 'vip' })).status).toBe(200)
  expect(await turnOf({ email: 'vip@example.com' }, 'hello there')).toMatchObject({ model: 'gpt-4o', routing_rule: 'vip-best-model', segment: 'vip' })
  expect(await turnOf({ email: 'ann@example.com' }, 'I want to cancel my order')).toMatchObject({
    model: 'gpt-4o-mini', routing_rule: 'cancellations-small-model', intent: 'cancel_order', segment: null,
  })
  expect(await turnOf({ email: 'bob@example.com' }, 'where is my order')).toMatchObject({ model: 'local', routing_rule: 'default', intent: 'track_order' })
  // Clearing the segment takes the customer off the VIP route on the next turn.
  await h.call('PUT', `/v1/customers/${customerId}/segment`, { segment: null })
  expect(await turnOf({ email: 'vip@example.com' }, 'hello again')).toMatchObject({ model: 'local', segment: null })
})

test('a segment for another tenant\'s customer, or a malformed one, is refused', async () => {
  expect((await h.call('PUT', '/v1/customers/cus_00000000-0000-0000-0000-000000000000/segment', { segment: 'vip' })).status).toBe(404)
  expect((await h.call('PUT', '/v1/customers/cus_00000000-0000-0000-0000-000000000000/segment', { segment: 'has spaces' })).status).toBe(400)
})
