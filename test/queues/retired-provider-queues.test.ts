// Built-in providers answer in the conversation's own process now; the provider queues earlier versions gave them go
// once no worker serves them, and not while one of an earlier version still does.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { Queue, Worker } from 'bullmq'
import { createRedis, names, retireProviderQueues } from '../../queues/index.ts'
import { createLogger } from '../../lib/log.ts'
import { createTestRedis, type TestRedis } from '../support/redis.ts'

let redis: TestRedis
let connection: ReturnType<typeof createRedis>
const log = createLogger({ test: 'retired-provider-queues' })

beforeAll(async () => {
  redis = await createTestRedis()
  connection = createRedis(redis.url, 'retired-provider-queues-test')
})

afterAll(async () => {
  connection.disconnect()
  await redis.cleanup()
})

const keysOf = async (queueName: string) => (await redis.client.keys(`${redis.prefix}:${queueName}:*`)).length

/** A queue as an earlier version left it: model calls waiting, one finished. */
async function leftBehind(vendor: string): Promise<Queue> {
  const queue = new Queue(names.providerPool(vendor), { connection, prefix: redis.prefix })
  await queue.add('provider.complete', { conversationId: 'conv-1', payload: { turnId: 'turn-1' } }, { jobId: `${vendor}-1` })
  await queue.add('provider.complete', { conversationId: 'conv-2', payload: { turnId: 'turn-2' } }, { jobId: `${vendor}-2` })
  return queue
}

test('a provider queue no worker serves is removed whole, and a vendor that never had one is passed over', async () => {
  const queue = await leftBehind('local')
  try {
    expect(await keysOf(queue.name)).toBeGreaterThan(0)
    const retired = await retireProviderQueues(connection, redis.prefix, ['local', 'echo'], log)
    expect(retired).toEqual([names.providerPool('local')])
    expect(await keysOf(queue.name)).toBe(0)
  } finally {
    await queue.close()
  }
})

test('a provider queue a worker of an earlier version still serves is left to it', async () => {
  const queue = await leftBehind('echo')
  // The earlier version's worker: it takes the queue's jobs and holds them, as a slow model call would.
  const held = Promise.withResolvers<void>()
  const worker = new Worker(queue.name, () => held.promise, { connection: createRedis(redis.url, 'earlier-version'), prefix: redis.prefix })
  try {
    await worker.waitUntilReady()
    for (let i = 0; i < 50 && (await queue.getWorkersCount()) === 0; i++) await Bun.sleep(20)
    expect(await retireProviderQueues(connection, redis.prefix, ['echo'], log)).toEqual([])
    expect(await queue.getJob('echo-1')).toBeDefined()
    expect(await queue.getJob('echo-2')).toBeDefined()
  } finally {
    held.resolve()
    await worker.close()
    await queue.obliterate({ force: true })
    await queue.close()
  }
})
