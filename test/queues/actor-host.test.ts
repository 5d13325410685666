// Virtual actors in one worker process: activation and passivation open and close no Redis connection,
// the active-actor cap applies backpressure without losing mail, and invalid mail is dead-lettered.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { Queue } from 'bullmq'
import { startPlatform, type Platform } from '../../platform.ts'
import { names } from '../../queues/index.ts'
import { createTestDatabase, type TestDatabase } from '../support/postgres.ts'
import { createTestRedis, type TestRedis } from '../support/redis.ts'
import { testConfig } from '../support/platform.ts'
import { countReplies, createSender, repliesByConversation, sendTurns, turn, type Sender } from '../support/traffic.ts'
import { waitFor } from '../support/wait.ts'

let db: TestDatabase
let redis: TestRedis
let platform: Platform
let sender: Sender

/** Redis connections opened for this test's queues (BullMQ names them `<prefix>:<queue in base64>`). */
async function queueConnections(): Promise<number> {
  const list = (await redis.client.client('LIST')) as string
  return list.split('\n').filter((line) => line.includes(`name=${redis.prefix}:`)).length
}

beforeAll(async () => {
  db = await createTestDatabase()
  redis = await createTestRedis()
  platform = await startPlatform(testConfig(redis.prefix, db.schema, {
    ROLE: 'worker', ACTOR_IDLE_TIMEOUT_MS: '400', ACTOR_MAX_ACTIVE: '8',
  }))
  sender = createSender(redis.prefix)
})

afterAll(async () => {
  await platform.close()
  await sender.close()
  await redis.cleanup()
  await db.drop()
})

describe('actor host', () => {
  test('actors are activated and passivated without opening or closing a Redis connection', async () => {
    // Warm up first: pool result listeners open on first use and stay, like the pool workers.
    await sendTurns(sender, ['warm-up'], 1)
    await waitFor(async () => platform.host!.activeCount() === 0 && (await countReplies(db.sql)) === 1, 5000, 'warm-up')
    const baseline = await queueConnections()
    const ids = Array.from({ length: 6 }, (_, i) => `idle-${i}`)
    let peak = 0
    const sampler = setInterval(() => (peak = Math.max(peak, platform.host!.activeCount())), 5)
    await sendTurns(sender, ids, 1)
    await waitFor(async () => (await countReplies(db.sql)) >= 7, 10_000, 'six replies')
    clearInterval(sampler)
    expect(peak).toBeGreaterThan(1)
    expect(await queueConnections()).toBe(baseline)
    await waitFor(async () => platform.host!.activeCount() === 0, 5000, 'passivation')
    expect(await queueConnections()).toBe(baseline)
    expect(await redis.client.zcard(names.leaseIndex(redis.prefix))).toBe(0)
  })

  test('above the cap, activations wait and every message is still answered in order', async () => {
    const before = await countReplies(db.sql)
    const ids = Array.from({ length: 30 }, (_, i) => `cap-${i}`)
    let peak = 0
    const sampler = setInterval(() => (peak = Math.max(peak, platform.host!.activeCount())), 5)
    await sendTurns(sender, ids, 3)
    await waitFor(async () => (await countReplies(db.sql)) >= before + 90, 20_000, '90 replies')
    clearInterval(sampler)
    expect(peak).toBeLessThanOrEqual(8)
    expect(peak).toBeGreaterThan(1)
    const replies = await repliesByConversation(db.sql)
    for (const id of ids) expect(replies.get(id)).toEqual([`${id}-m0`, `${id}-m1`, `${id}-m2`])
  })

  test('an invalid message goes to the dead-letter queue with its errors, and later mail still flows', async () => {
    const conversationId = 'dlq-1'
    const raw = new Queue(names.mailbox(conversationId), { connection: redis.client, prefix: redis.prefix })
    await raw.add('turn.received', { v: 1, id: 'bad-1', kind: 'turn.received', conversationId, sentAt: Date.now(), payload: { text: 42 } }, { jobId: 'bad-1' })
    await raw.close()
    await sender.mailbox.send(turn(conversationId, 'good-1', 'still here'))
    await waitFor(async () => (await repliesByConversation(db.sql)).get(conversationId)?.length === 1, 10_000, 'the good reply')
    const dead = await platform.deadLetter.list()
    const entry = dead.find((d) => d.jobId === 'bad-1')
    expect(entry).toMatchObject({ reason: 'message.invalid', kind: 'turn.received', source: names.mailbox(conversationId) })
    expect(entry!.errors.join(' ')).toContain('/payload/text')
    expect((await repliesByConversation(db.sql)).get(conversationId)).toEqual(['good-1'])
  })

  test('sending an invalid message is refused before it is queued', async () => {
    const bad = { ...turn('dlq-2', 'x', 'hi'), kind: 'turn.exploded' } as unknown as Parameters<Sender['mailbox']['send']>[0]
    expect(sender.mailbox.send(bad)).rejects.toThrow(/unknown message kind/)
    expect(await sender.mailbox.backlog('dlq-2')).toBe(0)
  })
})
