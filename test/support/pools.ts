// Pool queues and their Workers over a test Redis of their own: what the pool tests share.
import type Redis from 'ioredis'
import type { PoolHandlers, PoolName } from '../../actors/protocol.ts'
import { createLogger } from '../../lib/log.ts'
import {
  createDeadLetter, createPoolClient, createRedis, startPoolWorkers, type DeadLetter, type PoolQueues, type PoolWorkers,
} from '../../queues/index.ts'
import { createTestRedis, type TestRedis } from './redis.ts'

export interface PoolFixture {
  redis: TestRedis
  bull: Redis
  pools: PoolQueues
  workers: PoolWorkers
  deadLetter: DeadLetter
  close(): Promise<void>
}

/** `providerQueues`: the vendor queues the Workers serve (and whose backlogs the client counts). */
export async function startPoolFixture(
  handlers: Partial<PoolHandlers>, concurrency: Record<PoolName, number>, providerQueues: string[] = [],
): Promise<PoolFixture> {
  const redis = await createTestRedis()
  const bull = createRedis(redis.url, 'pool-fixture')
  const deadLetter = createDeadLetter(bull, redis.prefix)
  const options = { prefix: redis.prefix, concurrency, lockDurationMs: 5000, providerQueues }
  const workers = startPoolWorkers(bull, options, handlers, { deadLetter, log: createLogger() })
  const pools = createPoolClient(bull, redis.url, redis.prefix, { providers: providerQueues })
  return {
    redis, bull, pools, workers, deadLetter,
    async close() {
      await pools.close()
      await workers.close()
      await deadLetter.close()
      bull.disconnect()
      await redis.cleanup()
    },
  }
}
