// Who the customer is, and what a browser may hold. An email a channel asserts is a claim: it loads no earlier
// conversations; an identity the tenant's backend signed does; a forged signature is refused. A widget holds a
// conversation-scoped customer token: it reads and writes its own conversation only, and not once it expired.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { createHmac } from 'node:crypto'
import { startAgentsHarness, type AgentsHarness } from '../agents/harness.ts'

let h: AgentsHarness
/** How far the platform's clock runs ahead of the real one: a token's expiry comes without waiting for it. */
let skew = 0
const SIGNING = 'tenant-identity-secret-0123456789'
const sign = (identity: string) => createHmac('sha256', SIGNING).update(identity).digest('hex')

beforeAll(async () => {
  h = await startAgentsHarness({ CUSTOMER_TOKEN_TTL_S: '60' }, { clock: { now: () => Date.now() + skew } })
  h.emu.script({ reply: { text: 'Noted.' }, repeat: true })
  await h.put('agents', 'plain', { instructions: 'You help.', model: { provider: 'openai', model: 'gpt-4o-mini' } })
  expect((await h.call('PUT', '/v1/secrets/identity-verification', { value: SIGNING })).status).toBe(200)
})
afterAll(() => h.close())

async function asCustomer(token: string, method: string, path: string, body?: unknown) {
  const headers: Record<string, string> = { authorization: `Bearer ${token}` }
  const payload = body === undefined ? undefined : JSON.stringify(body)
  if (payload) Object.assign(headers, { 'content-type': 'application/json', 'content-length': String(payload.length) })
  const res = await h.platform.app!.handle(new Request(`http://localhost${path}`, { method, headers, body: payload }))
  return { status: res.status, body: await res.json().catch(() => undefined) as any }
}

/** The model's context on the first turn of a new conversation for this customer. */
async function firstContext(customer: Record<string, unknown>): Promise<string[]> {
  const created = await h.call('POST', '/v1/conversations', { agent: 'plain', customer })
  expect(created.status).toBe(201)
  const text = `hello #${crypto.randomUUID().slice(0, 6)}`
  await h.reply(await h.post(created.body.id, text))
  return h.emu.requests.find((r) => r.lastText === text)!.messages.map((m) => m.text)
}

test('a claimed email brings no history; the signed identity does; a forged signature is refused', async () => {
  const email = 'grace@example.com'
  const earlier = await h.call('POST', '/v1/conversations', { agent: 'plain', customer: { email, identityToken: sign(email) } })
  expect(earlier.body.identityVerified).toBe(true)
  await h.reply(await h.post(earlier.body.id, 'my order #W1234567 never came'))

  const claimed = await firstContext({ email })
  expect(claimed).toHaveLength(1)
  const signed = await firstContext({ email, identityToken: sign(email) })
  expect(signed.join('|')).toContain('#W1234567 never came')

  const forged = await h.call('POST', '/v1/conversations', { agent: 'plain', customer: { email, identityToken: sign('someone-else@example.com') } })
  expect(forged.status).toBe(401)
  expect(forged.body.error.code).toBe('auth.invalid')
}, 30_000)

test('a customer token opens its own conversation only, never a tenant route, and never once it expired', async () => {
  const mine = await h.call('POST', '/v1/conversations', { agent: 'plain' })
  const other = await h.call('POST', '/v1/conversations', { agent: 'plain' })
  const token = mine.body.customerToken as string
  expect(token.startsWith('sbc.')).toBe(true)
  expect((await asCustomer(token, 'POST', `/v1/conversations/${mine.body.id}/messages`, { text: 'hi from the widget' })).status).toBe(202)
  expect((await asCustomer(token, 'GET', `/v1/conversations/${mine.body.id}`)).status).toBe(200)
  expect((await asCustomer(token, 'GET', `/v1/conversations/${other.body.id}`)).status).toBe(404)
  expect((await asCustomer(token, 'POST', `/v1/conversations/${other.body.id}/messages`, { text: 'intruder' })).status).toBe(404)
  expect((await asCustomer(token, 'GET', '/v1/conversations')).status).toBe(403)
  expect((await asCustomer(token, 'GET', '/v1/agents')).status).toBe(403)
  expect((await asCustomer(`${token.slice(0, -4)}AAAA`, 'GET', `/v1/conversations/${mine.body.id}`)).status).toBe(401)
  // A tenant key in a stream URL is refused: URLs end up in logs.
  const viaUrl = await h.platform.app!.handle(new Request(`http://localhost/v1/conversations/${mine.body.id}/events?access_token=${h.key}`))
  expect(viaUrl.status).toBe(401)
}, 30_000)

test('an expired customer token is refused', async () => {
  const created = await h.call('POST', '/v1/conversations', { agent: 'plain' })
  expect(Date.parse(created.body.customerTokenExpiresAt) - Date.now()).toBeLessThanOrEqual(60_000)
  expect((await asCustomer(created.body.customerToken, 'GET', `/v1/conversations/${created.body.id}`)).status).toBe(200)
  skew = 61_000
  const res = await asCustomer(created.body.customerToken, 'GET', `/v1/conversations/${created.body.id}`)
  skew = 0
  expect(res.status).toBe(401)
  expect(res.body.error.message).toContain('expired')
}, 30_000)
