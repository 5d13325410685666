// 200 conversations x 20 messages across two worker processes: in order, none lost, none duplicated.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { createStorage } from '../../storage/index.ts'
import { createTestDatabase, type TestDatabase } from '../support/postgres.ts'
import { createTestRedis, type TestRedis } from '../support/redis.ts'
import { spawnSwitchboard, type SwitchboardProcess } from '../support/processes.ts'
import { testEnv } from '../support/platform.ts'
import { countReplies, createSender, repliesByConversation, sendTurns, type Sender } from '../support/traffic.ts'
import { waitFor } from '../support/wait.ts'

const CONVERSATIONS = 200
const PER_CONVERSATION = 20
let db: TestDatabase
let redis: TestRedis
let workers: SwitchboardProcess[] = []
let sender: Sender

beforeAll(async () => {
  db = await createTestDatabase()
  redis = await createTestRedis()
  const env = testEnv(redis.prefix, db.schema)
  workers = [spawnSwitchboard('worker', env), spawnSwitchboard('worker', env)]
  await Promise.all(workers.map((w) => w.waitForLog('switchboard started')))
  sender = createSender(redis.prefix)
})

afterAll(async () => {
  for (const w of workers) w.kill('SIGTERM')
  await Promise.all(workers.map((w) => w.proc.exited))
  await sender.close()
  await redis.cleanup()
  await db.drop()
})

test('every conversation is answered in order, exactly once, by two workers', async () => {
  const ids = Array.from({ length: CONVERSATIONS }, (_, i) => `order-${i}`)
  await sendTurns(sender, ids, PER_CONVERSATION)
  const total = CONVERSATIONS * PER_CONVERSATION
  await waitFor(async () => (await countReplies(db.sql)) >= total, 60_000, `${total} replies`)

  const replies = await repliesByConversation(db.sql)
  expect(replies.size).toBe(CONVERSATIONS)
  for (const id of ids) {
    expect(replies.get(id)).toEqual(Array.from({ length: PER_CONVERSATION }, (_, i) => `${id}-m${i}`))
  }
  // The reply stream each channel reads carries each reply once, in order.
  const events = createStorage(db.sql, redis.client, redis.prefix).events
  for (const id of ids.slice(0, 20)) {
    const entries = (await events.read(id, '0', { count: 100 })).filter((e) => e.event.type === 'reply.completed')
    expect(entries.map((e) => e.event.data.turnId)).toEqual(replies.get(id)!)
  }
  // Both workers took part.
  const owners = await db.sql`select count(*)::int as n from messages`
  expect(owners[0]!.n).toBe(2 * total)
  expect(workers.every((w) => w.proc.exitCode === null)).toBe(true)
}, 90_000)
