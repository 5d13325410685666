// Hops that earn their cost: a worker process starts one pool Worker (a blocking connection, a stalled-job check)
// per pool something sends work to, one per provider queue it serves; the guardrail checks and the built-in models,
// pure and in process, have no queue at all.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { Queue } from 'bullmq'
import { POOL_NAMES } from '../../actors/protocol.ts'
import { names } from '../../queues/index.ts'
import { startApiHarness, type ApiHarness } from '../api/harness.ts'
import { waitFor } from '../support/wait.ts'

let h: ApiHarness

// A configured vendor, whose queue the worker serves; never called.
const OPENAI = JSON.stringify([{ vendor: 'openai', apiKey: 'sk-pools-test-0000', baseUrl: 'http://127.0.0.1:9/v1' }])

beforeAll(async () => {
  h = await startApiHarness({ ROUTING_PROVIDERS: OPENAI })
})

async function workersOn(name: string): Promise<number> {
  const queue = new Queue(name, { connection: { url: h.redis.url }, prefix: h.redis.prefix })
  try {
    return await queue.getWorkersCount()
  } finally {
    await queue.close()
  }
}

afterAll(() => h.close())

test('each pool has one Worker per worker process, each vendor\'s queue its own, and no guardrail or built-in model queue', async () => {
  const queueNames = POOL_NAMES.map((pool) => [pool, pool === 'provider' ? names.providerPool('openai') : names.pool(pool)] as const)
  const counts = async () => Object.fromEntries(await Promise.all(queueNames.map(async ([pool, name]) => [pool, await workersOn(name)] as const)))
  const workers = await waitFor(async () => {
    const c = await counts()
    return c.provider! > 0 ? c : undefined
  }, 10_000, 'the provider Worker')
  expect(workers).toEqual({ provider: 1, tool: 1, escalation: 1, outreach: 1 })
  // The shared provider queue of old has no Worker: every vendor's model call goes to its vendor's queue. The built-in
  // models (`local`, and `echo`, the tests' AGENT_PROVIDER) answer in the conversation's process: no queue, no Worker.
  for (const name of [names.pool('provider'), names.providerPool('local'), names.providerPool('echo')]) expect(await workersOn(name)).toBe(0)
})
