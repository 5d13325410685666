// Mailbox handles share their connection without subscribing to its events: thousands of cached handles must not
// turn each new one into a walk over thousands of listeners.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { createQueueCache } from '../../queues/queue-cache.ts'
import { createRedis } from '../../queues/index.ts'
import { createTestRedis, type TestRedis } from '../support/redis.ts'

let redis: TestRedis

beforeAll(async () => {
  redis = await createTestRedis()
})

afterAll(() => redis.cleanup())

const EVENTS = ['error', 'close', 'ready', 'end'] as const
const listeners = (connection: ReturnType<typeof createRedis>) => EVENTS.map((e) => connection.listenerCount(e))

test('handles add and evict without a listener on the shared connection, and their mail still lands', async () => {
  const connection = createRedis(redis.url, 'queue-cache-test')
  const before = listeners(connection)
  const cache = createQueueCache({ connection, prefix: redis.prefix }, 20)
  try {
    // 60 handles through a cache of 20: 40 evictions on the way.
    for (let i = 0; i < 60; i++) await cache.get(`qc-${i}`).add('turn.received', { i }, { jobId: `job-${i}` })
    expect(listeners(connection)).toEqual(before)
    for (const i of [0, 59]) expect(await redis.client.exists(`${redis.prefix}:${cache.get(`qc-${i}`).name}:job-${i}`)).toBe(1)
    expect(await cache.get('qc-59').count()).toBe(1)

    // The connection itself still hears its events: the handles' silence is theirs alone.
    let heard = 0
    connection.on('queue-cache-test', () => heard++)
    connection.emit('queue-cache-test')
    expect(heard).toBe(1)
  } finally {
    await cache.close()
    expect(listeners(connection)).toEqual(before)
    connection.disconnect()
  }
})
