// One customer across channels: explicit, audited identity links, and a new conversation that sees the
// customer's recent history from other channels within the look-back.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import type { Storage } from '../../storage/index.ts'
import { createTiersFixture, script, type TiersFixture } from './tiers-fixture.ts'

let fx: TiersFixture
let storage: Storage
const by = { actor: 'test', reason: 'verified by login' }
const DAY = 86_400_000

beforeAll(async () => {
  fx = await createTiersFixture()
  storage = await fx.open({ lookbackMs: 7 * DAY })
})
afterAll(() => fx.close())

describe('customers', () => {
  test('chat by email, then the email channel: same customer, and the new conversation sees the chat', async () => {
    const chat = await storage.customers.identify('acme', { kind: 'email', value: 'Ana.Lima@Example.com' }, by)
    expect(chat.created).toBe(true)
    await storage.sessions.append(script('chat-1', 4), { tenantId: 'acme', channel: 'chat', customerId: chat.customerId })

    const email = await storage.customers.identify('acme', { kind: 'email', value: ' ana.lima@example.COM ' }, by)
    expect(email).toEqual({ customerId: chat.customerId, created: false })
    await storage.sessions.append(script('email-1', 1), { tenantId: 'acme', channel: 'email', customerId: email.customerId })
    const related = await storage.sessions.related(email.customerId, { excludeConversationId: 'email-1' })
    expect(related.map((m) => [m.channel, m.text])).toEqual(script('chat-1', 4).map((m) => ['chat', m.text]))
  })

  test('the look-back is configurable: older history is not offered', async () => {
    const { customerId } = await storage.customers.identify('acme', { kind: 'email', value: 'ana.lima@example.com' }, by)
    const later = new Date(Date.now() + 8 * DAY)
    expect(await storage.sessions.related(customerId, { excludeConversationId: 'email-1', now: later })).toEqual([])
    expect(await storage.sessions.related(customerId, { excludeConversationId: 'email-1', now: later, lookbackMs: 9 * DAY })).toHaveLength(4)
  })

  test('linking is explicit, idempotent and audited; a taken identity is a conflict', async () => {
    const { customerId } = await storage.customers.identify('acme', { kind: 'email', value: 'ana.lima@example.com' }, by)
    await storage.customers.link('acme', customerId, { kind: 'phone', value: '+351 912 345 678' }, by)
    await storage.customers.link('acme', customerId, { kind: 'phone', value: '+351912345678' }, by)
    expect(await storage.customers.resolve('acme', { kind: 'phone', value: '(+351) 912-345-678' })).toBe(customerId)
    const other = await storage.customers.identify('acme', { kind: 'external', value: 'zendesk:77' }, by)
    expect(storage.customers.link('acme', other.customerId, { kind: 'phone', value: '+351912345678' }, by)).rejects.toMatchObject({ code: 'conflict' })
    expect(await storage.customers.resolve('other-tenant', { kind: 'email', value: 'ana.lima@example.com' })).toBeUndefined()
    const trail = await storage.customers.auditTrail(customerId)
    expect(trail.map((e) => [e.action, e.kind, e.value, e.actor])).toEqual([
      ['create', null, null, 'test'], ['link', 'email', 'ana.lima@example.com', 'test'], ['link', 'phone', '+351912345678', 'test'],
    ])
    expect(await storage.customers.unlink('acme', customerId, { kind: 'phone', value: '+351912345678' }, by)).toBe(true)
    expect((await storage.customers.get(customerId))!.identities).toEqual([{ kind: 'email', value: 'ana.lima@example.com' }])
  })

  test('first contacts racing on one identity end with one customer', async () => {
    const results = await Promise.all(Array.from({ length: 5 }, () =>
      storage.customers.identify('acme', { kind: 'email', value: 'race@example.com' }, by)))
    expect(new Set(results.map((r) => r.customerId)).size).toBe(1)
  })

  test('a conversation started anonymously is attached once the customer is known', async () => {
    await storage.sessions.append(script('anon-1', 2), { tenantId: 'acme' })
    const { customerId } = await storage.customers.identify('acme', { kind: 'external', value: 'shop:991' }, by)
    await storage.customers.attachConversation('anon-1', customerId)
    expect(await storage.sessions.related(customerId)).toHaveLength(2)
  })
})
