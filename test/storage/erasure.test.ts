// Erasure of one customer reaches hot, warm and cold (and reply streams, queued jobs through the injected
// dequeue, stored idempotent responses), with a report; the DSAR export returns everything held about the
// customer from every tier as one JSON document.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { RetryableError } from '../../lib/errors.ts'
import type { Storage } from '../../storage/index.ts'
import { createTiersFixture, recordToolCall, script, type TiersFixture } from './tiers-fixture.ts'

let fx: TiersFixture
let storage: Storage
let customerId: string
const by = { actor: 'dpo@acme', reason: 'GDPR art. 17 request' }

beforeAll(async () => {
  fx = await createTiersFixture()
  storage = await fx.open()
  customerId = (await storage.customers.identify('acme', { kind: 'email', value: 'erase.me@example.com' }, by)).customerId
  await storage.customers.link('acme', customerId, { kind: 'phone', value: '+1 555 0100' }, by)
  for (const [id, channel] of [['e-hot', 'chat'], ['e-warm', 'email'], ['e-cold', 'chat']] as const) {
    await storage.sessions.append(script(id, 4), { tenantId: 'acme', channel, customerId })
    await storage.events.publish({ id: `${id}-r`, type: 'reply.completed', conversationId: id, data: { text: 'secret' }, at: Date.now() })
  }
  await storage.turnSteps.record('e-warm-0', 'model', { text: 'reply' })
  await recordToolCall(fx.db.sql, 'e-warm', 'e-warm-0')
  await recordToolCall(fx.db.sql, 'e-cold', 'e-cold-0')
  await storage.sessions.evict(['e-warm'])
  await storage.archiver.archive('e-cold')
  await storage.sessions.append(script('keep-1', 2), { tenantId: 'acme' })
  for (const [key, body] of [['k-created', { id: 'e-hot', customerId }], ['k-posted', { conversationId: 'e-warm' }], ['k-other', { id: 'keep-1' }]]) {
    await storage.idempotency.once({ tenantId: 'acme', key: key as string, fingerprint: 'f' }, async () => ({ status: 201, body }))
  }
})

const keyedResponses = async () =>
  (await fx.db.sql<{ key: string }[]>`select key from idempotency_keys where tenant_id = 'acme' order by key`).map((r) => r.key)

afterAll(() => fx.close())

describe('privacy', () => {
  test('the export holds the customer, identities, audit and every conversation from warm and cold', async () => {
    const doc = await storage.exportCustomer(customerId)
    expect(JSON.parse(JSON.stringify(doc))).toMatchObject({ format: 'switchboard.dsar/v1', customer: { id: customerId } })
    expect(doc.customer!.identities).toEqual([{ kind: 'email', value: 'erase.me@example.com' }, { kind: 'phone', value: '+15550100' }])
    expect(doc.identityAudit.map((e) => e.action)).toEqual(['create', 'link', 'link'])
    const tiers = Object.fromEntries(doc.conversations.map((c) => [c.conversation.id as string, c.tier]))
    expect(tiers).toEqual({ 'e-hot': 'warm', 'e-warm': 'warm', 'e-cold': 'cold' })
    for (const c of doc.conversations) expect(c.tables.messages!.map((m) => m.text)).toEqual(script(c.conversation.id as string, 4).map((m) => m.text))
    expect(doc.conversations.find((c) => c.conversation.id === 'e-warm')!.tables.turn_steps).toHaveLength(1)
    for (const id of ['e-warm', 'e-cold']) {
      expect(doc.conversations.find((c) => c.conversation.id === id)!.tables.tool_calls).toMatchObject([{ args: { address1: '1 Secret Lane' } }])
    }
    expect(await storage.sessions.load('e-cold', { limit: 1 })).toMatchObject({ tier: 'cold' })
    await storage.archiver.archive('e-cold')
  })

  test('a dequeue that refuses stops the erasure before anything is deleted, with the conversations closed', async () => {
    const busy = async () => { throw new RetryableError('conflict', 'a turn is being handled') }
    await expect(storage.eraseCustomer(customerId, by, busy)).rejects.toThrow('a turn is being handled')
    const statuses = await fx.db.sql<{ status: string }[]>`select status from conversations where customer_id = ${customerId}`
    expect(statuses.map((r) => r.status)).toEqual(['closed', 'closed', 'closed'])
    expect(await storage.messages.list('e-hot')).toHaveLength(4)
    expect(await keyedResponses()).toEqual(['k-created', 'k-other', 'k-posted'])
    expect(await storage.customers.get(customerId)).toBeDefined()
  })

  test('erasure reaches hot, warm and cold and reports what it deleted', async () => {
    const hotKey = `${fx.redis.prefix}:session:e-hot`
    expect(await fx.redis.client.exists(hotKey)).toBe(1)
    expect(await storage.blobs.list('conversations/acme/e-cold.')).toHaveLength(1)
    const dequeued: string[] = []
    const report = await storage.eraseCustomer(customerId, by, async (ids) => (dequeued.push(...ids), 5))
    expect(dequeued.sort()).toEqual(['e-cold', 'e-hot', 'e-warm'])
    expect(report).toMatchObject({
      customerId, conversations: 3, hotSessions: 1, replyStreams: 3, coldObjects: 1, identities: 2, auditRedacted: 2,
      warmRows: { messages: 8, turn_steps: 1, tool_calls: 1 }, queuedJobs: 5, idempotencyRecords: 2,
    })
    expect(await fx.db.sql`select 1 from tool_calls where args::text like '%Secret%'`).toHaveLength(0)
    expect(await keyedResponses()).toEqual(['k-other'])
    expect(await fx.redis.client.exists(hotKey, ...['e-hot', 'e-warm', 'e-cold'].map(storage.events.streamKey))).toBe(0)
    expect(await storage.blobs.list('conversations/acme/')).toEqual([])
    const [row] = await fx.db.sql<{ n: number }[]>`select count(*)::int as n from messages where conversation_id like 'e-%'`
    expect(row?.n).toBe(0)
    expect(await storage.customers.resolve('acme', { kind: 'email', value: 'erase.me@example.com' })).toBeUndefined()
    const trail = await storage.customers.auditTrail(customerId)
    expect(trail.map((e) => [e.action, e.value])).toEqual([['create', null], ['link', null], ['link', null], ['erase', null]])
    expect(await storage.messages.list('keep-1')).toHaveLength(2)
  })

  test('erasing again is harmless, and the export then holds only the erasure record', async () => {
    expect(await storage.eraseCustomer(customerId, by, async () => 0)).toMatchObject({ conversations: 0, identities: 0 })
    const doc = await storage.exportCustomer(customerId)
    expect(doc.customer).toBeNull()
    expect(doc.conversations).toEqual([])
    expect(doc.erasures).toHaveLength(2)
  })

  test('an erased conversation can never be created again, whichever path tries', async () => {
    await storage.conversations.ensure({ id: 'e-hot', tenantId: 'acme' })
    expect(await storage.conversations.get('e-hot')).toBeUndefined()
    await expect(storage.sessions.append(script('e-warm', 2), { tenantId: 'acme' })).rejects.toThrow()
    expect(await storage.messages.list('e-warm')).toEqual([])
    expect(await storage.conversations.isErased('e-cold')).toBe(true)
    expect(await storage.conversations.isErased('keep-1')).toBe(false)
  })
})
