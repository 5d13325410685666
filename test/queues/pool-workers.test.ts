// Hops that earn their cost: a worker process starts one pool Worker (a blocking connection, a stalled-job check)
// per pool something sends work to, one per provider queue it serves, and the guardrail checks, pure and fast,
// have no pool at all.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { Queue } from 'bullmq'
import { POOL_NAMES } from '../../actors/protocol.ts'
import { names } from '../../queues/index.ts'
import { startApiHarness, type ApiHarness } from '../api/harness.ts'
import { waitFor } from '../support/wait.ts'

let h: ApiHarness

beforeAll(async () => {
  h = await startApiHarness()
})

afterAll(() => h.close())

test('each pool has one Worker per worker process, each provider queue its own, and there is no guardrail pool', async () => {
  const queueNames = POOL_NAMES.map((pool) => [pool, pool === 'provider' ? names.providerPool('local') : names.pool(pool)] as const)
  const counts = async () => Object.fromEntries(await Promise.all(queueNames.map(async ([pool, name]) => {
    const queue = new Queue(name, { connection: { url: h.redis.url }, prefix: h.redis.prefix })
    try {
      return [pool, await queue.getWorkersCount()] as const
    } finally {
      await queue.close()
    }
  })))
  const workers = await waitFor(async () => {
    const c = await counts()
    return c.provider! > 0 ? c : undefined
  }, 10_000, 'the provider Worker')
  expect(workers).toEqual({ provider: 1, tool: 1, escalation: 1, outreach: 1 })
  // The shared provider queue of old has no Worker: every model call goes to its vendor's queue.
  const shared = new Queue(names.pool('provider'), { connection: { url: h.redis.url }, prefix: h.redis.prefix })
  expect(await shared.getWorkersCount()).toBe(0)
  await shared.close()
})
