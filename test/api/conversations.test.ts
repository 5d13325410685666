// The chat API's happy paths: conversations and their transcript, idempotent posts, pagination, close and
// CSAT, keys and tenants, health.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { ensureDemoTenant } from '../../api/index.ts'
import { waitFor } from '../support/wait.ts'
import { ADMIN_TOKEN, defineAgent, newConversation, startApiHarness, type ApiHarness } from './harness.ts'

let h: ApiHarness
beforeAll(async () => {
  h = await startApiHarness()
  await defineAgent(h, 'retail')
})
afterAll(async () => { await h.close() })

const customerMessages = async (conversationId: string) => {
  const rows = await h.db.sql<{ id: string }[]>`select id from messages where conversation_id = ${conversationId} and role = 'customer'`
  return rows.map((r) => r.id)
}

test('a posted message is answered and shows in the transcript', async () => {
  const id = await newConversation(h, h.a.key, { customer: { email: 'Ada@Example.com', phone: '+44 20 7946 0000' }, agent: 'retail' })
  const post = await h.call('POST', `/v1/conversations/${id}/messages`, { body: { text: 'Where is my order?' } })
  expect(post.status).toBe(202)
  expect(post.body).toEqual({ id: expect.stringMatching(/^msg_/), conversationId: id, status: 'accepted' })
  const convo = await waitFor(async () => {
    const r = await h.call('GET', `/v1/conversations/${id}`)
    return r.body.messages.length === 2 && r.body
  }, 10_000, 'the reply')
  expect(convo.messages.map((m: { role: string }) => m.role)).toEqual(['customer', 'assistant'])
  expect(convo.messages[1].replyTo).toBe(post.body.id)
  expect(convo.customerId).toMatch(/^cus_/)
  expect(convo.agent).toBe('retail')
})

test('a retried post with the same Idempotency-Key returns the first response and creates nothing', async () => {
  const id = await newConversation(h)
  const send = () => h.call('POST', `/v1/conversations/${id}/messages`, { body: { text: 'once' }, headers: { 'idempotency-key': 'retry-1' } })
  const results = await Promise.all([send(), send(), send()])
  const again = await send()
  for (const r of [...results, again]) expect(r.body).toEqual(results[0]!.body)
  expect(again.headers.get('idempotent-replayed')).toBe('true')
  expect(await customerMessages(id)).toEqual([results[0]!.body.id])
  await waitFor(async () => (await h.call('GET', `/v1/conversations/${id}`)).body.messages.length === 2, 10_000, 'one reply')
  const replies = await h.db.sql`select id from messages where conversation_id = ${id} and role = 'assistant'`
  expect(replies.length).toBe(1)
})

test('a keyed conversation create is idempotent too', async () => {
  const create = () => h.call('POST', '/v1/conversations', { body: { channel: 'sms' }, headers: { 'idempotency-key': 'create-1' } })
  const [first, second] = [await create(), await create()]
  expect(first.status).toBe(201)
  expect(second.status).toBe(201)
  expect(second.body.id).toBe(first.body.id)
})

test('listing pages through every conversation once, with filters', async () => {
  const t = await h.tenant('tenant-pages')
  const created = []
  for (let i = 0; i < 7; i++) created.push(await newConversation(h, t.key, { channel: i % 2 ? 'email' : 'chat' }))
  // All seven in one millisecond on purpose, microseconds apart, and the rows either side of the first page break
  // (3 and 4) at the same instant: a cursor that kept milliseconds skipped every row after the first page.
  const micros = [100, 200, 300, 400, 400, 600, 700]
  for (const [i, id] of created.entries()) {
    await h.db.sql`update conversations set created_at = ${`2026-01-01T00:00:00.000${micros[i]}Z`}::text::timestamptz where id = ${id}`
  }
  const seen: string[] = []
  let cursor: string | null = null
  do {
    const page: { body: { data: { id: string }[]; nextCursor: string | null } } =
      await h.call('GET', `/v1/conversations?limit=3${cursor ? `&cursor=${cursor}` : ''}`, { key: t.key })
    seen.push(...page.body.data.map((c) => c.id))
    cursor = page.body.nextCursor
  } while (cursor)
  expect(seen).toEqual([...created].reverse())
  const emails = await h.call('GET', '/v1/conversations?channel=email', { key: t.key })
  expect(emails.body.data.length).toBe(3)
})

test('close tells the stream and refuses further messages; CSAT is recorded', async () => {
  const id = await newConversation(h)
  const closed = await h.call('POST', `/v1/conversations/${id}/close`, { body: { reason: 'resolved' } })
  expect(closed.body.status).toBe('closed')
  await waitFor(async () => (await h.platform.storage.events.read(id)).some((e) => e.event.type === 'conversation.closed'), 10_000, 'closed event')
  expect((await h.call('POST', `/v1/conversations/${id}/messages`, { body: { text: 'hi' } })).status).toBe(409)
  const rated = await h.call('POST', `/v1/conversations/${id}/csat`, { body: { rating: 4, comment: 'quick' } })
  expect(rated.body).toEqual({ conversationId: id, rating: 4, comment: 'quick' })
  expect((await h.call('GET', `/v1/conversations/${id}`)).body.csat).toEqual({ rating: 4, comment: 'quick' })
})

test('keys: issued with scopes, revoked keys stop working at once', async () => {
  const issued = await h.call('POST', '/v1/keys', { body: { scopes: ['channel'], name: 'widget' } })
  expect(issued.status).toBe(201)
  expect(issued.body.key).toMatch(/^sb_/)
  expect((await h.call('POST', '/v1/conversations', { key: issued.body.key, body: {} })).status).toBe(201)
  const listed = (await h.call('GET', '/v1/keys')).body.data
  expect(JSON.stringify(listed)).not.toContain(issued.body.key)
  expect((await h.call('POST', `/v1/keys/${issued.body.id}/revoke`)).status).toBe(200)
  expect((await h.call('POST', '/v1/conversations', { key: issued.body.key, body: {} })).status).toBe(401)
  const [stored] = await h.db.sql<{ hash: string }[]>`select hash from api_keys where id = ${issued.body.id}`
  expect(stored!.hash).not.toContain(issued.body.key)
})

test('the operator creates tenants and keys', async () => {
  const created = await h.call('POST', '/v1/admin/tenants', { key: ADMIN_TOKEN, body: { id: 'acme', name: 'Acme', rateLimitPerS: 500 } })
  expect(created.status).toBe(201)
  expect((await h.call('GET', '/v1/conversations', { key: created.body.key.key })).status).toBe(200)
  const key = await h.call('POST', '/v1/admin/tenants/acme/keys', { key: ADMIN_TOKEN, body: { scopes: ['console'] } })
  expect(key.body.scopes).toEqual(['console'])
  const list = await h.call('GET', '/v1/admin/tenants', { key: ADMIN_TOKEN })
  expect(list.body.data.map((t: { id: string }) => t.id)).toContain('acme')
})

test('the demo tenant takes SWITCHBOARD_DEMO_API_KEY, or gets one generated key', async () => {
  const fixed = 'sb_demo_key_for_tests_0123456789'
  expect((await ensureDemoTenant(h.platform.storage, fixed)).newKey).toBeUndefined()
  expect((await h.call('GET', '/v1/conversations', { key: fixed })).status).toBe(200)
  await h.db.sql`update api_keys set revoked_at = now() where tenant_id = 'demo'`
  const generated = await ensureDemoTenant(h.platform.storage)
  expect(generated.newKey).toMatch(/^sb_/)
  expect((await ensureDemoTenant(h.platform.storage)).newKey).toBeUndefined()
})

test('health and readiness', async () => {
  expect((await h.call('GET', '/healthz', { key: null })).body).toEqual({ status: 'ok' })
  const ready = await h.call('GET', '/readyz', { key: null })
  expect(ready.status).toBe(200)
  expect(ready.body.checks).toEqual({ redis: true, postgres: true })
})

test('the OpenAPI document describes the routes', async () => {
  const spec = await h.call('GET', '/docs/json', { key: null })
  expect(Object.keys(spec.body.paths)).toEqual(expect.arrayContaining(['/v1/conversations', '/v1/conversations/{id}/messages', '/v1/tickets/{source}']))
  expect((await h.call('GET', '/docs', { key: null })).status).toBe(200)
})
