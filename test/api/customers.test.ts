// The privacy routes and commands: a customer's DSAR export, and erasure that reaches queued jobs and stored
// idempotent responses too; tenant isolation, bad ids, scopes, and a turn in flight answered with 409.
// The platform runs the API role only, so mail stays queued as it does behind busy or stopped workers.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { Worker } from 'bullmq'
import type Redis from 'ioredis'
import { runAdminCommand } from '../../api/index.ts'
import { createJobScrubber, createPoolClient, createRedis, names } from '../../queues/index.ts'
import { keysHolding } from '../support/redis-search.ts'
import { waitFor } from '../support/wait.ts'
import { newConversation, startApiHarness, type ApiHarness } from './harness.ts'

let h: ApiHarness
let bull: Redis
const UNKNOWN = 'cus_00000000-0000-4000-8000-000000000000'

/** A conversation of a new customer of tenant A with one posted message, both keyed; returns their ids. */
async function customerWith(email: string, text: string): Promise<{ customerId: string; conversationId: string }> {
  const created = await h.call('POST', '/v1/conversations', { body: { customer: { email } }, headers: { 'idempotency-key': `c-${email}` } })
  const conversationId = created.body.id
  const post = await h.call('POST', `/v1/conversations/${conversationId}/messages`, { body: { text }, headers: { 'idempotency-key': `m-${email}` } })
  expect(post.status).toBe(202)
  return { customerId: created.body.customerId, conversationId }
}

const erase = (customerId: string, key = h.a.key) =>
  h.call('POST', `/v1/customers/${customerId}/erase`, { key, body: { reason: 'GDPR art. 17 request' } })
const keyedResponses = async (text: string) =>
  (await h.db.sql`select key from idempotency_keys where body::text like ${`%${text}%`}`).length
const redisHolds = (text: string) => keysHolding(h.redis.client, h.redis.prefix, text)

beforeAll(async () => {
  h = await startApiHarness({ ROLE: 'api' })
  bull = createRedis(h.redis.url, 'customers-test')
})
afterAll(async () => {
  bull.disconnect()
  await h.close()
})

describe('export', () => {
  test("holds the customer's identities and conversations", async () => {
    const { customerId, conversationId } = await customerWith('export.me@example.com', 'EXPORT my order')
    const res = await h.call('GET', `/v1/customers/${customerId}/export`)
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({
      format: 'switchboard.dsar/v1', customer: { id: customerId, identities: [{ kind: 'email', value: 'export.me@example.com' }] },
    })
    expect(res.body.conversations.map((c: { conversation: { id: string } }) => c.conversation.id)).toEqual([conversationId])
    expect(res.body.conversations[0].tables.messages.map((m: { text: string }) => m.text)).toEqual(['EXPORT my order'])
  })
})

describe('erasure', () => {
  test('removes the queued mail, pool jobs, dead letters and idempotent responses with the rest, and reports them', async () => {
    const { customerId, conversationId } = await customerWith('erase.me@example.com', 'SECRET order 4711')
    const keep = await customerWith('keep.me@example.com', 'KEEP order 1')
    const pools = createPoolClient(bull, h.redis.url, h.redis.prefix)
    await pools.enqueue({
      v: 1, id: `${conversationId}.outreach`, kind: 'outreach.send', conversationId, sentAt: Date.now(),
      payload: { campaign: 'delay', text: 'SECRET your parcel is late' },
    }, { delayMs: 3_600_000 })
    await pools.close()
    await h.platform.deadLetter.add({
      source: names.mailbox(conversationId), jobId: 'x', kind: 'turn.received', reason: 'message.invalid', errors: [],
      data: { conversationId, payload: { text: 'SECRET dead letter' } },
    })
    expect(await redisHolds('SECRET')).toHaveLength(3)
    expect(await keyedResponses('erase.me@example.com')).toBe(1)

    const res = await erase(customerId)
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ customerId, conversations: 1, queuedJobs: 3, idempotencyRecords: 2, identities: 1 })
    expect(await redisHolds('SECRET')).toEqual([])
    expect(await keyedResponses('erase.me@example.com')).toBe(0)
    expect((await h.call('GET', `/v1/conversations/${conversationId}`)).status).toBe(404)
    // What is left proves the erasure, to its own tenant only; erasing again is a harmless repeat.
    const proof = await h.call('GET', `/v1/customers/${customerId}/export`)
    expect(proof.status).toBe(200)
    expect(proof.body).toMatchObject({ customer: null, conversations: [], erasures: [{ report: { customerId, conversations: 1 } }] })
    expect(JSON.stringify(proof.body)).not.toContain('SECRET')
    expect(await erase(customerId)).toMatchObject({ status: 200, body: { customerId, conversations: 0, identities: 0 } })
    // The repeat's record stays with the customer's tenant, so the proof never moves to another one.
    expect((await h.db.sql`select distinct tenant_id from erasures where customer_id = ${customerId}`).map((r) => r.tenant_id)).toEqual(['tenant-a'])
    expect((await h.call('GET', `/v1/customers/${customerId}/export`, { key: h.b.key })).status).toBe(404)

    expect(await redisHolds('KEEP order 1')).toHaveLength(1)
    expect((await h.call('GET', `/v1/customers/${keep.customerId}/export`)).status).toBe(200)
  })

  test('while a turn is being handled: 409 conflict with Retry-After, the conversation closed; a retry erases', async () => {
    const { customerId, conversationId } = await customerWith('busy@example.com', 'BUSY question')
    let release = () => {}
    const turn = new Worker(names.mailbox(conversationId), () => new Promise<void>((resolve) => (release = resolve)), {
      connection: bull, prefix: h.redis.prefix, skipVersionCheck: true,
    })
    await waitFor(async () => (await activeJobs(conversationId)) === 1, 10_000, 'the turn to start')

    const refused = await erase(customerId)
    expect(refused.status).toBe(409)
    expect(refused.body.error.code).toBe('conflict')
    expect(refused.headers.get('retry-after')).toBe('5')
    expect((await h.call('GET', `/v1/conversations/${conversationId}`)).body.status).toBe('closed')
    const late = await h.call('POST', `/v1/conversations/${conversationId}/messages`, { body: { text: 'BUSY again' } })
    expect(late.body.error.code).toBe('conversation.closed')

    release()
    await waitFor(async () => (await activeJobs(conversationId)) === 0, 10_000, 'the turn to finish')
    await turn.close()
    expect(await erase(customerId)).toMatchObject({ status: 200, body: { customerId, conversations: 1, queuedJobs: 1 } })
    expect(await redisHolds('BUSY')).toEqual([])
  })
})

async function activeJobs(conversationId: string): Promise<number> {
  return Number(await bull.llen(`${h.redis.prefix}:${names.mailbox(conversationId)}:active`))
}

describe('access', () => {
  test("another tenant's customer answers exactly as an unknown one, and stays untouched", async () => {
    const { customerId } = await customerWith('isolated@example.com', 'ISOLATED text')
    for (const id of [customerId, UNKNOWN]) {
      const exported = await h.call('GET', `/v1/customers/${id}/export`, { key: h.b.key })
      expect({ status: exported.status, code: exported.body.error.code }).toEqual({ status: 404, code: 'not_found' })
      const erased = await erase(id, h.b.key)
      expect({ status: erased.status, code: erased.body.error.code }).toEqual({ status: 404, code: 'not_found' })
    }
    expect((await h.call('GET', `/v1/customers/${customerId}/export`)).body.customer.id).toBe(customerId)
  })

  test('a malformed id is a 400, and erasure needs the admin scope', async () => {
    for (const path of ['/v1/customers/nobody/export', '/v1/customers/conv_1/erase']) {
      const res = await h.call(path.endsWith('erase') ? 'POST' : 'GET', path)
      expect({ status: res.status, code: res.body.error.code }).toEqual({ status: 400, code: 'request.invalid' })
    }
    const unknownField = await h.call('POST', `/v1/customers/${UNKNOWN}/erase`, { body: { why: 'x' } })
    expect(unknownField.status).toBe(400)
    const consoleOnly = await h.tenant('tenant-console', ['console'])
    expect((await h.call('GET', `/v1/customers/${UNKNOWN}/export`, { key: consoleOnly.key })).status).toBe(404)
    expect((await erase(UNKNOWN, consoleOnly.key)).body.error.code).toBe('auth.forbidden')
  })

  test('the admin commands check the tenant and the id the same way', async () => {
    const { customerId } = await customerWith('cli@example.com', 'CLI text')
    const deps = {
      storage: h.platform.storage, dequeue: createJobScrubber(bull, h.redis.prefix),
      apply: { resources: h.platform.storage.resources, builtinTools: [] }, readSecret: async () => '',
    }
    await expect(runAdminCommand(deps, ['export-customer', 'tenant-b', customerId])).rejects.toMatchObject({ code: 'not_found' })
    await expect(runAdminCommand(deps, ['erase-customer', 'tenant-a', 'nobody'])).rejects.toMatchObject({ code: 'request.invalid' })
    expect(await runAdminCommand(deps, ['erase-customer', 'tenant-a', customerId, '--reason', 'ticket 42'])).toMatchObject({
      customerId, conversations: 1, queuedJobs: 1,
    })
    expect(await redisHolds('CLI text')).toEqual([])
  })
})
