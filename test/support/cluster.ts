// Worker processes on a test's own database schema and queue prefix, with a sender for their mail.
import { createTestDatabase, type TestDatabase } from './postgres.ts'
import { createTestRedis, type TestRedis } from './redis.ts'
import { spawnSwitchboard, type SwitchboardProcess } from './processes.ts'
import { testEnv } from './platform.ts'
import { createSender, type Sender } from './traffic.ts'

export interface Cluster {
  db: TestDatabase
  redis: TestRedis
  workers: SwitchboardProcess[]
  sender: Sender
  stop(): Promise<void>
}

/** Starts `count` worker processes (env `overrides` on top of the test defaults) and waits until they run. */
export async function startCluster(count: number, overrides: Record<string, string> = {}): Promise<Cluster> {
  const db = await createTestDatabase()
  const redis = await createTestRedis()
  const env = testEnv(redis.prefix, db.schema, overrides)
  const workers = Array.from({ length: count }, () => spawnSwitchboard('worker', env))
  await Promise.all(workers.map((w) => w.waitForLog('switchboard started')))
  const sender = createSender(redis.prefix)
  return {
    db, redis, workers, sender,
    async stop() {
      for (const w of workers) w.kill('SIGKILL')
      await Promise.all(workers.map((w) => w.proc.exited))
      await sender.close()
      await redis.cleanup()
      await db.drop()
    },
  }
}
