// Reads fall through hot → warm → cold and re-warm; appends write through; a restarted process sees everything;
// a new conversation's related history reaches the customer's archived conversations too.
import { afterAll, beforeAll, describe, expect, spyOn, test } from 'bun:test'
import type { Storage } from '../../storage/index.ts'
import { createTiersFixture, script, type TiersFixture } from './tiers-fixture.ts'

let fx: TiersFixture
let storage: Storage

beforeAll(async () => {
  fx = await createTiersFixture()
  storage = await fx.open({ hotMaxMessages: 10 })
})
afterAll(() => fx.close())

const texts = (ms: { text: string }[]) => ms.map((m) => m.text)

describe('sessions', () => {
  test('append writes warm and hot; concurrent appends share statements and stay in order', async () => {
    const conversations = ['c-order-1', 'c-order-2', 'c-order-3']
    await Promise.all(conversations.map(async (c) => {
      for (let i = 0; i < 30; i += 2) await storage.sessions.append(script(c, 2, i))
    }))
    for (const c of conversations) {
      const warm = await storage.messages.list(c)
      expect(texts(warm)).toEqual(texts(script(c, 30)))
      const load = await storage.sessions.load(c)
      expect(load.tier).toBe('hot')
      expect(load.messages).toEqual(warm.slice(-10))
    }
  })

  test('a redelivered message is stored once and returned as already stored', async () => {
    const [first] = await storage.sessions.append(script('c-dup', 1))
    const [again] = await storage.sessions.append(script('c-dup', 1))
    expect(first!.inserted).toBe(true)
    expect(again!.inserted).toBe(false)
    expect(again!.seq).toBe(first!.seq)
    expect((await storage.sessions.load('c-dup')).messages).toHaveLength(1)
  })

  test('a hot miss falls through to warm and re-warms hot', async () => {
    await storage.sessions.append(script('c-warm', 14))
    await storage.sessions.evict(['c-warm'])
    const cold = await storage.sessions.load('c-warm', { limit: 5 })
    expect(cold.tier).toBe('warm')
    expect(texts(cold.messages)).toEqual(texts(script('c-warm', 14).slice(-5)))
    const again = await storage.sessions.load('c-warm')
    expect(again.tier).toBe('hot')
    expect(texts(again.messages)).toEqual(texts(script('c-warm', 14).slice(-10)))
  })

  test('a window larger than hot holds is read from warm', async () => {
    const load = await storage.sessions.load('c-warm', { limit: 12 })
    expect(load.tier).toBe('warm')
    expect(load.messages).toHaveLength(12)
  })

  test('an archived conversation falls through to cold, is restored to warm and re-warms hot', async () => {
    await storage.sessions.append(script('c-cold', 20))
    const before = await storage.messages.list('c-cold')
    expect(await storage.archiver.archive('c-cold')).toBe('archived')
    expect(await storage.messages.list('c-cold')).toEqual([])
    const load = await storage.sessions.load('c-cold', { limit: 20 })
    expect(load.tier).toBe('cold')
    expect(load.messages).toEqual(before)
    expect(await storage.messages.list('c-cold')).toEqual(before)
    expect((await storage.sessions.load('c-cold')).tier).toBe('hot')
  })

  test('messages written by another path (turn checkpoints) reach hot through cacheWritten', async () => {
    await storage.sessions.load('c-turn')
    await storage.turnSteps.begin({ turnId: 'c-turn-t1', conversationId: 'c-turn', text: 'hello' })
    await storage.turnSteps.recordReply('c-turn', 'c-turn-t1', 'reply', { id: 'c-turn-t1.reply', text: 'hi there' })
    await storage.sessions.cacheWritten('c-turn', ['c-turn-t1', 'c-turn-t1.reply'])
    const load = await storage.sessions.load('c-turn')
    expect(load.tier).toBe('hot')
    expect(texts(load.messages)).toEqual(['hello', 'hi there'])
  })

  test('the turn writes return their stored rows, so the write-through reads nothing back', async () => {
    await storage.sessions.load('c-rows')
    await storage.messages.append({ id: 'c-rows-t1', conversationId: 'c-rows', role: 'customer', text: 'stored by the API' })
    const start = await storage.turnSteps.begin({ turnId: 'c-rows-t1', conversationId: 'c-rows', text: 'stored by the API' })
    const recorded = await storage.turnSteps.recordReply('c-rows', 'c-rows-t1', 'reply', { id: 'c-rows-t1.reply', text: 'answer' })
    expect([start.message, recorded.message]).toEqual(await storage.messages.list('c-rows'))
    const again = await storage.turnSteps.recordReply('c-rows', 'c-rows-t1', 'reply', { id: 'c-rows-t1.reply', text: 'other' })
    expect(again).toEqual({ result: { id: 'c-rows-t1.reply', text: 'answer' }, message: undefined })
    await storage.sessions.cacheWritten('c-rows', [start.message!, recorded.message!])
    expect((await storage.sessions.load('c-rows')).messages).toEqual(await storage.messages.list('c-rows'))
  })

  test('a new conversation starts empty and its first append is hot', async () => {
    expect(await storage.sessions.load('c-new')).toEqual({ tier: 'none', messages: [] })
    await storage.sessions.append(script('c-new', 1))
    expect(texts((await storage.sessions.load('c-new')).messages)).toEqual(['message 0 of c-new'])
  })

  test('restart durability: new storage objects over the same data see every tier', async () => {
    await storage.sessions.append(script('r-hot', 6))
    await storage.sessions.append(script('r-warm', 6))
    await storage.sessions.append(script('r-cold', 6))
    await storage.sessions.evict(['r-warm'])
    await storage.archiver.archive('r-cold')
    const restarted = await fx.open({ hotMaxMessages: 10 })
    for (const [c, tier] of [['r-hot', 'hot'], ['r-warm', 'warm'], ['r-cold', 'cold']] as const) {
      const load = await restarted.sessions.load(c)
      expect({ c, tier: load.tier }).toEqual({ c, tier })
      expect(texts(load.messages)).toEqual(texts(script(c, 6)))
    }
  })
})

describe('related history', () => {
  const by = { actor: 'test', reason: 'verified by login' }
  async function customerWith(email: string, conversations: Array<[id: string, channel: string, count: number]>, archived: string[]) {
    const { customerId } = await storage.customers.identify('acme', { kind: 'email', value: email }, by)
    for (const [id, channel, count] of conversations) {
      await storage.sessions.append(script(id, count), { tenantId: 'acme', channel, customerId })
      // Conversations apart by more than a millisecond: the cold read's bound is a JS Date, cut to milliseconds,
      // and an archive active in the same millisecond as the oldest warm message is (rightly) read too.
      await Bun.sleep(2)
    }
    for (const id of archived) expect(await storage.archiver.archive(id)).toBe('archived')
    return customerId
  }

  test('archived conversations are offered like warm ones, in time order, read in place', async () => {
    const customerId = await customerWith('cold@example.com', [['h-chat', 'chat', 4], ['h-email', 'email', 2], ['h-new', 'chat', 1]], [])
    const options = { excludeConversationId: 'h-new' }
    const warm = await storage.sessions.related(customerId, options)
    expect(warm.map((m) => [m.channel, m.text])).toEqual([
      ...script('h-chat', 4).map((m) => ['chat', m.text]), ...script('h-email', 2).map((m) => ['email', m.text]),
    ])
    expect(await storage.archiver.archive('h-chat')).toBe('archived')
    expect(await storage.sessions.related(customerId, options)).toEqual(warm)
    expect(await storage.sessions.related(customerId, { ...options, limit: 3 })).toEqual(warm.slice(-3))
    expect(await storage.messages.list('h-chat')).toEqual([])
    const later = new Date(Date.now() + 2 * 86_400_000)
    expect(await storage.sessions.related(customerId, { ...options, now: later, lookbackMs: 86_400_000 })).toEqual([])
  })

  test('only the most recent archives are read, and none when warm fills the window', async () => {
    const conversations: Array<[string, string, number]> = [['k-1', 'chat', 2], ['k-2', 'chat', 2], ['k-3', 'email', 2], ['k-warm', 'chat', 2], ['k-new', 'chat', 1]]
    const customerId = await customerWith('long@example.com', conversations, ['k-1', 'k-2', 'k-3'])
    const bounded = await fx.open({ hotMaxMessages: 10, relatedArchives: 2 })
    const reads = spyOn(bounded.blobs, 'get')
    const related = await bounded.sessions.related(customerId, { excludeConversationId: 'k-new' })
    expect(texts(related)).toEqual(['k-2', 'k-3', 'k-warm'].flatMap((c) => texts(script(c, 2))))
    expect(reads).toHaveBeenCalledTimes(2)
    reads.mockClear()
    expect(texts(await bounded.sessions.related(customerId, { excludeConversationId: 'k-new', limit: 2 }))).toEqual(texts(script('k-warm', 2)))
    expect(reads).not.toHaveBeenCalled()
  })
})
