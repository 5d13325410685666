// Bad input of every kind gets its 4xx and code in the one error shape, never a 500, and writes nothing.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { ADMIN_TOKEN, newConversation, startApiHarness, type ApiHarness, type CallOptions } from './harness.ts'

interface Case extends CallOptions {
  name: string
  method: string
  path: string
  status: number
  code: string
}

let h: ApiHarness
const ids: Record<string, string> = {}
const keys: Record<string, string> = {}

beforeAll(async () => {
  h = await startApiHarness({ API_MAX_BODY_BYTES: '4096', API_MAX_MESSAGE_CHARS: '100' })
  ids.conv = await newConversation(h)
  ids.closed = await newConversation(h)
  expect((await h.call('POST', `/v1/conversations/${ids.closed}/close`)).status).toBe(200)
  const known = await h.call('POST', '/v1/conversations', { body: { customer: { email: 'kept@example.com' } } })
  ids.customer = known.body.customerId
  const revoked = await h.platform.storage.apiKeys.issue(h.a.id, ['channel'])
  await h.platform.storage.apiKeys.revoke(h.a.id, revoked.record.id)
  keys.revoked = revoked.key
  keys.channel = (await h.platform.storage.apiKeys.issue(h.a.id, ['channel'])).key
  keys.limited = (await h.tenant('tenant-limited', ['channel', 'console'], 1)).key
  await h.call('GET', '/v1/conversations', { key: keys.limited })
  await h.call('POST', `/v1/conversations/${ids.conv}/messages`, { body: { text: 'first' }, headers: { 'idempotency-key': 'k-reused' } })
})
afterAll(async () => { await h.close() })

const json = { 'content-type': 'application/json' }
const cases: Case[] = [
  { name: 'no key', method: 'POST', path: '/v1/conversations', key: null, body: {}, status: 401, code: 'auth.missing' },
  { name: 'basic auth', method: 'GET', path: '/v1/conversations', headers: { authorization: 'Basic dXNlcjpwdw==' }, status: 401, code: 'auth.invalid' },
  { name: 'unknown key', method: 'GET', path: '/v1/conversations', key: 'sb_not-a-real-key', status: 401, code: 'auth.invalid' },
  { name: 'revoked key', method: 'GET', path: '/v1/conversations/{conv}', key: '{revoked}', status: 401, code: 'auth.invalid' },
  { name: 'malformed JSON', method: 'POST', path: '/v1/conversations', raw: '{"channel":', status: 400, code: 'request.malformed_json' },
  { name: 'text/plain body', method: 'POST', path: '/v1/conversations', raw: '{}', headers: { 'content-type': 'text/plain' }, status: 415, code: 'request.unsupported_media_type' },
  { name: 'form body', method: 'POST', path: '/v1/conversations/{conv}/messages', raw: 'text=hi', headers: { 'content-type': 'application/x-www-form-urlencoded' }, status: 415, code: 'request.unsupported_media_type' },
  { name: 'oversized body', method: 'POST', path: '/v1/conversations/{conv}/messages', raw: JSON.stringify({ text: 'x'.repeat(5000) }), status: 413, code: 'request.too_large' },
  { name: 'unknown field', method: 'POST', path: '/v1/conversations', body: { chanel: 'chat' }, status: 400, code: 'request.invalid' },
  { name: 'bad channel', method: 'POST', path: '/v1/conversations', body: { channel: 'fax' }, status: 400, code: 'request.invalid' },
  { name: 'bad agent', method: 'POST', path: '/v1/conversations', body: { agent: 'no spaces allowed' }, status: 400, code: 'request.invalid' },
  { name: 'bad email', method: 'POST', path: '/v1/conversations', body: { customer: { email: 'not-an-email' } }, status: 400, code: 'request.invalid' },
  { name: 'bad double texting', method: 'POST', path: '/v1/conversations', body: { doubleTexting: 'drop' }, status: 400, code: 'request.invalid' },
  { name: 'array body', method: 'POST', path: '/v1/conversations', body: [1, 2], status: 400, code: 'request.invalid' },
  { name: 'empty text', method: 'POST', path: '/v1/conversations/{conv}/messages', body: { text: '' }, status: 400, code: 'request.invalid' },
  { name: 'text too long', method: 'POST', path: '/v1/conversations/{conv}/messages', body: { text: 'x'.repeat(101) }, status: 400, code: 'request.invalid' },
  { name: 'text not a string', method: 'POST', path: '/v1/conversations/{conv}/messages', body: { text: 42 }, status: 400, code: 'request.invalid' },
  { name: 'missing text', method: 'POST', path: '/v1/conversations/{conv}/messages', body: {}, status: 400, code: 'request.invalid' },
  { name: 'no body at all', method: 'POST', path: '/v1/conversations/{conv}/messages', status: 400, code: 'request.invalid' },
  { name: 'message to unknown conversation', method: 'POST', path: '/v1/conversations/conv_unknown/messages', body: { text: 'hi' }, status: 404, code: 'not_found' },
  { name: 'bad conversation id', method: 'POST', path: '/v1/conversations/bad!id/messages', body: { text: 'hi' }, status: 400, code: 'request.invalid' },
  { name: 'message to closed conversation', method: 'POST', path: '/v1/conversations/{closed}/messages', body: { text: 'hi' }, status: 409, code: 'conversation.closed' },
  { name: 'get unknown conversation', method: 'GET', path: '/v1/conversations/conv_unknown', status: 404, code: 'not_found' },
  { name: 'list limit 0', method: 'GET', path: '/v1/conversations?limit=0', status: 400, code: 'request.invalid' },
  { name: 'list limit not a number', method: 'GET', path: '/v1/conversations?limit=abc', status: 400, code: 'request.invalid' },
  { name: 'list forged cursor', method: 'GET', path: '/v1/conversations?cursor=Zm9vYmFy', status: 400, code: 'request.invalid' },
  { name: 'list unknown filter', method: 'GET', path: '/v1/conversations?colour=red', status: 400, code: 'request.invalid' },
  { name: 'list bad status', method: 'GET', path: '/v1/conversations?status=lost', status: 400, code: 'request.invalid' },
  { name: 'csat out of range', method: 'POST', path: '/v1/conversations/{conv}/csat', body: { rating: 6 }, status: 400, code: 'request.invalid' },
  { name: 'csat not an integer', method: 'POST', path: '/v1/conversations/{conv}/csat', body: { rating: 2.5 }, status: 400, code: 'request.invalid' },
  { name: 'csat unknown conversation', method: 'POST', path: '/v1/conversations/conv_unknown/csat', body: { rating: 5 }, status: 404, code: 'not_found' },
  { name: 'close unknown conversation', method: 'POST', path: '/v1/conversations/conv_unknown/close', status: 404, code: 'not_found' },
  { name: 'close with unknown field', method: 'POST', path: '/v1/conversations/{conv}/close', body: { why: 'x' }, status: 400, code: 'request.invalid' },
  { name: 'bad Last-Event-ID', method: 'GET', path: '/v1/conversations/{conv}/events', headers: { 'last-event-id': 'yesterday' }, status: 400, code: 'request.invalid' },
  { name: 'events of unknown conversation', method: 'GET', path: '/v1/conversations/conv_unknown/events', status: 404, code: 'not_found' },
  { name: 'Idempotency-Key too long', method: 'POST', path: '/v1/conversations/{conv}/messages', body: { text: 'hi' }, headers: { 'idempotency-key': 'k'.repeat(300) }, status: 400, code: 'request.invalid' },
  { name: 'Idempotency-Key reused', method: 'POST', path: '/v1/conversations/{conv}/messages', body: { text: 'other' }, headers: { 'idempotency-key': 'k-reused' }, status: 409, code: 'idempotency.key_reused' },
  { name: 'channel key lists conversations', method: 'GET', path: '/v1/conversations', key: '{channel}', status: 403, code: 'auth.forbidden' },
  { name: 'channel key issues keys', method: 'POST', path: '/v1/keys', key: '{channel}', body: { scopes: ['admin'] }, status: 403, code: 'auth.forbidden' },
  { name: 'tenant key on admin API', method: 'GET', path: '/v1/admin/tenants', status: 401, code: 'auth.invalid' },
  { name: 'duplicate tenant', method: 'POST', path: '/v1/admin/tenants', key: ADMIN_TOKEN, body: { id: 'tenant-a', name: 'again' }, status: 409, code: 'conflict' },
  { name: 'unknown ticket source', method: 'POST', path: '/v1/tickets/jira', body: {}, status: 400, code: 'request.invalid' },
  { name: 'ticket without id', method: 'POST', path: '/v1/tickets/generic', body: { event: 'ticket.created', ticket: {} }, status: 400, code: 'request.invalid' },
  { name: 'zendesk payload not an object', method: 'POST', path: '/v1/tickets/zendesk', body: ['x'], status: 400, code: 'request.invalid' },
  { name: 'webhook with bad url', method: 'POST', path: '/v1/webhooks', body: { url: 'ftp://x', events: ['reply.completed'] }, status: 400, code: 'request.invalid' },
  { name: 'webhook with no events', method: 'POST', path: '/v1/webhooks', body: { url: 'http://localhost:1/x', events: [] }, status: 400, code: 'request.invalid' },
  // Nothing Postgres cannot store gets past the front door, whichever field carries it.
  { name: 'NUL in message text', method: 'POST', path: '/v1/conversations/{conv}/messages', body: { text: 'a\u0000b' }, status: 400, code: 'request.invalid' },
  { name: 'NUL in customer name', method: 'POST', path: '/v1/conversations', body: { customer: { name: 'A\u0000' } }, status: 400, code: 'request.invalid' },
  { name: 'NUL in a metadata key', method: 'POST', path: '/v1/conversations', body: { metadata: { 'k\u0000': 1 } }, status: 400, code: 'request.invalid' },
  { name: 'lone surrogate in metadata', method: 'POST', path: '/v1/conversations', body: { metadata: { k: '\ud800' } }, status: 400, code: 'request.invalid' },
  { name: 'NUL in a CSAT comment', method: 'POST', path: '/v1/conversations/{conv}/csat', body: { rating: 4, comment: '\u0000' }, status: 400, code: 'request.invalid' },
  { name: 'NUL in a key name', method: 'POST', path: '/v1/keys', body: { scopes: ['channel'], name: 'w\u0000' }, status: 400, code: 'request.invalid' },
  { name: 'NUL in a query filter', method: 'GET', path: '/v1/conversations?agent=%00', status: 400, code: 'request.invalid' },
  { name: 'NUL in a path id', method: 'GET', path: '/v1/conversations/{conv}/turns/%00/why', status: 400, code: 'request.invalid' },
  { name: 'NUL in a ticket id', method: 'POST', path: '/v1/tickets/generic', body: { event: 'ticket.created', ticket: { id: 'T\u0000' } }, status: 400, code: 'request.invalid' },
  { name: 'list limit a fraction', method: 'GET', path: '/v1/conversations?limit=1.5', status: 400, code: 'request.invalid' },
  { name: 'transcript after past any sequence', method: 'GET', path: '/v1/conversations/{conv}/messages?after=99999999999999999999', status: 400, code: 'request.invalid' },
  { name: 'transcript limit a fraction', method: 'GET', path: '/v1/conversations/{conv}/messages?limit=2.5', status: 400, code: 'request.invalid' },
  { name: 'cursor at the end of time', method: 'GET', path: `/v1/conversations?cursor=${Buffer.from('+275760-09-13T00:00:00.000000Z|conv_x').toString('base64url')}`, status: 400, code: 'request.invalid' },
  { name: 'cursor before time began', method: 'GET', path: `/v1/conversations?cursor=${Buffer.from('-271821-04-20T00:00:00.000000Z|conv_x').toString('base64url')}`, status: 400, code: 'request.invalid' },
  { name: 'cursor on the 31st of February', method: 'GET', path: `/v1/conversations?cursor=${Buffer.from('2026-02-31T00:00:00.000000Z|conv_x').toString('base64url')}`, status: 400, code: 'request.invalid' },
  // An optional body is optional only when absent: broken JSON never acts.
  { name: 'close with broken JSON', method: 'POST', path: '/v1/conversations/{conv}/close', raw: '{"reason":', status: 400, code: 'request.malformed_json' },
  { name: 'resolve with broken JSON', method: 'POST', path: '/v1/escalations/esc_x/resolve', raw: '{"handBack":', status: 400, code: 'request.malformed_json' },
  { name: 'erase with broken JSON', method: 'POST', path: '/v1/customers/{customer}/erase', raw: '{"reason":', status: 400, code: 'request.malformed_json' },
  { name: 'revoke with broken JSON', method: 'POST', path: '/v1/keys/key_unknown/revoke', raw: '[', status: 400, code: 'request.malformed_json' },
  { name: 'revoke unknown key', method: 'POST', path: '/v1/keys/key_unknown/revoke', status: 404, code: 'not_found' },
  { name: 'unknown route', method: 'GET', path: '/v1/nothing-here', status: 404, code: 'not_found' },
  { name: 'rate limited', method: 'GET', path: '/v1/conversations', key: '{limited}', status: 429, code: 'rate_limited' },
]

const fill = (s: string) => s.replace(/\{(\w+)\}/g, (_, name: string) => ids[name] ?? keys[name] ?? name)

test(`${cases.length} bad requests each get their status and code`, async () => {
  expect(cases.length).toBeGreaterThanOrEqual(30)
  const failures: string[] = []
  for (const c of cases) {
    const res = await h.call(c.method, fill(c.path), {
      ...c, key: c.key === null ? null : c.key && fill(c.key), headers: { ...(c.raw ? json : {}), ...c.headers },
    })
    const shapeOk = typeof res.body?.error?.code === 'string' && typeof res.body?.error?.message === 'string'
    if (res.status !== c.status || res.body?.error?.code !== c.code || !shapeOk) {
      failures.push(`${c.name}: got ${res.status} ${JSON.stringify(res.body)}`)
    }
    if (c.code === 'rate_limited') expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1)
  }
  expect(failures).toEqual([])
})

test('refused requests wrote nothing', async () => {
  const [row] = await h.db.sql<{ n: number }[]>`select count(*)::int as n from messages where conversation_id = ${ids.conv!} and role = 'customer'`
  expect(row!.n).toBe(1)
  const conversations = await h.db.sql<{ status: string }[]>`select status from conversations where tenant_id = ${h.a.id} order by created_at`
  expect(conversations.map((c) => c.status)).toEqual(['open', 'closed', 'open'])
  expect(await h.platform.storage.customers.get(ids.customer!)).toBeDefined()
  const keyNames = await h.db.sql`select 1 from api_keys where name like ${'w%'}`
  expect(keyNames.length).toBe(0)
})

test('a body past the limit is a 413 in the JSON error shape, also when it declares no length', async () => {
  const chunks = [JSON.stringify({ text: 'x'.repeat(3000) }).slice(0, -2), 'x'.repeat(3000), '"}']
  const body = new ReadableStream({ start(c) { for (const chunk of chunks) c.enqueue(new TextEncoder().encode(chunk)); c.close() } })
  const res = await h.platform.app!.handle(new Request(`http://localhost/v1/conversations/${ids.conv}/messages`, {
    method: 'POST', body, headers: { authorization: `Bearer ${h.a.key}`, 'content-type': 'application/json' },
  }))
  expect(res.status).toBe(413)
  expect((await res.json()).error.code).toBe('request.too_large')
})

test('a listening server answers an oversized body with the JSON error shape, not an empty 413', async () => {
  const server = h.platform.app!.listen({ port: 0, hostname: '127.0.0.1' }).server!
  const res = await fetch(`http://127.0.0.1:${server.port}/v1/conversations/${ids.conv}/messages`, {
    method: 'POST', body: JSON.stringify({ text: 'x'.repeat(100_000) }),
    headers: { authorization: `Bearer ${h.a.key}`, 'content-type': 'application/json' },
  })
  expect(res.status).toBe(413)
  expect(res.headers.get('content-type')).toContain('application/json')
  expect(await res.json()).toEqual({ error: { code: 'request.too_large', message: 'the body exceeds 4096 bytes' } })
})
