// A key of tenant B can neither see nor touch tenant A's data on any route: a foreign id answers exactly as
// an unknown one does, and A's data is unchanged afterwards.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { newConversation, startApiHarness, type ApiHarness } from './harness.ts'

let h: ApiHarness
let conv: string
let webhook: string
let keyOfA: string

beforeAll(async () => {
  h = await startApiHarness()
  conv = await newConversation(h, h.a.key, { customer: { externalId: 'crm-1' } })
  expect((await h.call('POST', `/v1/conversations/${conv}/messages`, { body: { text: 'hello' } })).status).toBe(202)
  webhook = (await h.call('POST', '/v1/webhooks', { body: { url: 'http://127.0.0.1:9/hook', events: ['reply.completed'] } })).body.id
  keyOfA = (await h.call('POST', '/v1/keys', { body: { scopes: ['channel'] } })).body.id
})
afterAll(async () => { await h.close() })

const routes = (c: string, w: string, k: string) => [
  ['GET', `/v1/conversations/${c}`, undefined],
  ['GET', `/v1/conversations/${c}/messages`, undefined],
  ['POST', `/v1/conversations/${c}/messages`, { text: 'intruder' }],
  ['GET', `/v1/conversations/${c}/events`, undefined],
  ['GET', `/v1/conversations/${c}/stream`, undefined],
  ['POST', `/v1/conversations/${c}/close`, undefined],
  ['POST', `/v1/conversations/${c}/csat`, { rating: 1 }],
  ['POST', `/v1/conversations/${c}/agent-messages`, { text: 'intruder', agent: 'eve' }],
  ['GET', `/v1/webhooks/${w}`, undefined],
  ['GET', `/v1/webhooks/${w}/deliveries`, undefined],
  ['DELETE', `/v1/webhooks/${w}`, undefined],
  ['POST', `/v1/keys/${k}/revoke`, undefined],
] as const

test('every route answers a foreign id as an unknown one', async () => {
  const foreign = routes(conv, webhook, keyOfA)
  const unknown = routes('conv_0000000000', 'whk_0000000000', 'key_0000000000')
  for (const [i, [method, path, body]] of foreign.entries()) {
    const viaB = await h.call(method, path, { key: h.b.key, body })
    const [, unknownPath] = unknown[i]!
    const asUnknown = await h.call(method, unknownPath, { key: h.b.key, body })
    expect({ path, status: viaB.status, code: viaB.body.error?.code }).toEqual({ path, status: 404, code: 'not_found' })
    expect(asUnknown.status).toBe(404)
  }
})

test("lists and filters of B never include A's data", async () => {
  expect((await h.call('GET', '/v1/conversations', { key: h.b.key })).body.data).toEqual([])
  expect((await h.call('GET', `/v1/conversations?externalId=crm-1`, { key: h.b.key })).body.data).toEqual([])
  expect((await h.call('GET', '/v1/webhooks', { key: h.b.key })).body.data).toEqual([])
  const keysOfB = (await h.call('GET', '/v1/keys', { key: h.b.key })).body.data.map((k: { id: string }) => k.id)
  expect(keysOfB).not.toContain(keyOfA)
})

test('the same ticket id in two tenants makes two conversations', async () => {
  const ticket = { event: 'ticket.created', ticket: { id: 'T-1' }, comment: { id: 'c1', body: 'help' } }
  const a = await h.call('POST', '/v1/tickets/generic', { body: ticket })
  const b = await h.call('POST', '/v1/tickets/generic', { key: h.b.key, body: ticket })
  expect(a.status).toBe(202)
  expect(b.status).toBe(202)
  expect(a.body.conversationId).not.toBe(b.body.conversationId)
  expect((await h.call('GET', `/v1/conversations/${a.body.conversationId}`, { key: h.b.key })).status).toBe(404)
})

test("A's data is untouched", async () => {
  const mine = await h.call('GET', `/v1/conversations/${conv}`)
  expect(mine.body.status).toBe('open')
  expect(mine.body.csat).toBeNull()
  expect(mine.body.messages.filter((m: { role: string }) => m.role === 'customer').map((m: { text: string }) => m.text)).toEqual(['hello'])
  expect((await h.call('GET', `/v1/webhooks/${webhook}`)).body.disabledAt).toBeNull()
  const keys = (await h.call('GET', '/v1/keys')).body.data
  expect(keys.find((k: { id: string }) => k.id === keyOfA).revokedAt).toBeNull()
})
