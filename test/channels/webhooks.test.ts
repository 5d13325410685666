// Outbound webhooks: HMAC-SHA256 timestamped signatures a receiver can verify (tampering, staleness and
// replays refused), delivery of replies, retries with backoff, and dead-lettering after the last attempt.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { createWebhookVerifier, signPayload, SIGNATURE_HEADER } from '../../channels/index.ts'
import { waitFor } from '../support/wait.ts'
import { newConversation, startApiHarness, type ApiHarness, type TestTenant } from '../api/harness.ts'

interface Receiver {
  url: string
  bodies: { type: string; conversation: { id: string }; data: { turnId?: string } }[]
  attempts: number
  verdicts: string[]
  secret: string
}

let h: ApiHarness
const servers: ReturnType<typeof Bun.serve>[] = []

/** A receiver that verifies every request and answers `fail` times with 500 before accepting. */
function receiver(fail: number): Receiver {
  const r: Receiver = { url: '', bodies: [], attempts: 0, verdicts: [], secret: '' }
  const server = Bun.serve({
    port: 0, hostname: '127.0.0.1',
    async fetch(req) {
      const body = await req.text()
      r.attempts++
      const verdict = createWebhookVerifier(r.secret)(req.headers.get(SIGNATURE_HEADER), body)
      r.verdicts.push(verdict.ok ? 'ok' : verdict.reason)
      if (r.attempts <= fail) return new Response('try later', { status: 500 })
      r.bodies.push(JSON.parse(body))
      return new Response(null, { status: 204 })
    },
  })
  servers.push(server)
  r.url = `http://127.0.0.1:${server.port}/hook`
  return r
}

const receivers: Record<'ok' | 'flaky' | 'down', { r: Receiver; t: TestTenant; hook: string }> = {} as never

beforeAll(async () => {
  h = await startApiHarness({ WEBHOOK_MAX_ATTEMPTS: '3', WEBHOOK_BACKOFF_MS: '50' })
  // Subscriptions exist before any message, so the relay's cached view of subscribed tenants includes them.
  for (const [name, fail] of [['ok', 0], ['flaky', 2], ['down', 1000]] as const) {
    const t = await h.tenant(`tenant-${name}`)
    const r = receiver(fail)
    const sub = await h.call('POST', '/v1/webhooks', { key: t.key, body: { url: r.url, events: ['reply.completed'] } })
    expect(sub.body.secret).toMatch(/^whsec_/)
    r.secret = sub.body.secret
    receivers[name] = { r, t, hook: sub.body.id }
  }
})
afterAll(async () => {
  await h.close()
  for (const s of servers) s.stop(true)
})

const deliveries = async (name: keyof typeof receivers) => {
  const { t, hook } = receivers[name]
  return (await h.call('GET', `/v1/webhooks/${hook}/deliveries`, { key: t.key })).body.data
}

const converse = async (name: keyof typeof receivers, text: string) => {
  const key = receivers[name].t.key
  const id = await newConversation(h, key)
  const post = await h.call('POST', `/v1/conversations/${id}/messages`, { key, body: { text } })
  return { id, messageId: post.body.id as string }
}

test('a signature verifies; a tampered body, a stale timestamp, a replay or garbage does not', () => {
  const secret = 'whsec_test'
  const now = 1_700_000_000_000
  const verify = createWebhookVerifier(secret, { now: () => now })
  const body = '{"type":"reply.completed"}'
  const header = signPayload(secret, now / 1000, body)
  expect(verify(header, body)).toEqual({ ok: true })
  expect(verify(header, body)).toEqual({ ok: false, reason: 'replayed' })
  expect(verify(signPayload(secret, now / 1000, body), body.replace('completed', 'delta'))).toEqual({ ok: false, reason: 'mismatch' })
  expect(verify(signPayload(secret, now / 1000 - 301, body), body)).toEqual({ ok: false, reason: 'expired' })
  expect(verify(signPayload('whsec_other', now / 1000, body), body)).toEqual({ ok: false, reason: 'mismatch' })
  expect(verify('t=abc,v1=zz', body)).toEqual({ ok: false, reason: 'malformed' })
  expect(verify(null, body)).toEqual({ ok: false, reason: 'malformed' })
})

test('a reply reaches the subscriber once, signed, and is listed as delivered', async () => {
  const { r } = receivers.ok
  const { id, messageId } = await converse('ok', 'hello webhook')
  await waitFor(async () => r.bodies.length >= 1, 15_000, 'the webhook')
  expect(r.bodies[0]).toMatchObject({ type: 'reply.completed', conversation: { id }, data: { turnId: messageId } })
  expect(r.verdicts).toEqual(['ok'])
  const [delivery] = await waitFor(async () => {
    const list = await deliveries('ok')
    return list[0]?.status === 'delivered' && list
  }, 5000, 'delivered state')
  expect(delivery).toMatchObject({ conversationId: id, eventType: 'reply.completed', attempts: 1, lastError: null })
})

test('a failing receiver is retried with backoff until it accepts', async () => {
  const { r } = receivers.flaky
  await converse('flaky', 'retry me')
  await waitFor(async () => r.bodies.length === 1, 15_000, 'the third attempt')
  expect(r.attempts).toBe(3)
  const [delivery] = await waitFor(async () => {
    const list = await deliveries('flaky')
    return list[0]?.status === 'delivered' && list
  }, 5000, 'delivered state')
  expect(delivery.attempts).toBe(3)
})

test('a receiver that never accepts is dead-lettered after the configured attempts', async () => {
  const { r } = receivers.down
  await converse('down', 'nobody home')
  const [delivery] = await waitFor(async () => {
    const list = await deliveries('down')
    return list[0]?.status === 'dead' && list
  }, 15_000, 'dead state')
  expect(delivery).toMatchObject({ attempts: 3, lastStatusCode: 500, lastError: 'HTTP 500' })
  expect(r.attempts).toBe(3)
  const dead = await h.call('GET', `/v1/webhooks/${receivers.down.hook}/deliveries?status=dead`, { key: receivers.down.t.key })
  expect(dead.body.data.length).toBe(1)
})
