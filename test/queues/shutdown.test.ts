// SIGTERM: the worker stops taking mail, finishes its in-flight turns, hands the rest back and exits 0;
// another worker then answers everything that was left, in order and exactly once.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { createTestDatabase, type TestDatabase } from '../support/postgres.ts'
import { createTestRedis, type TestRedis } from '../support/redis.ts'
import { spawnSwitchboard, type SwitchboardProcess } from '../support/processes.ts'
import { testEnv } from '../support/platform.ts'
import { countReplies, createSender, repliesByConversation, sendTurns, type Sender } from '../support/traffic.ts'
import { waitFor } from '../support/wait.ts'

let db: TestDatabase
let redis: TestRedis
let sender: Sender
let env: Record<string, string>
const spawned: SwitchboardProcess[] = []

beforeAll(async () => {
  db = await createTestDatabase()
  redis = await createTestRedis()
  env = testEnv(redis.prefix, db.schema, { ECHO_DELAY_MS: '100', SHUTDOWN_GRACE_MS: '5000' })
  sender = createSender(redis.prefix)
})

afterAll(async () => {
  for (const p of spawned) p.kill('SIGKILL')
  await sender.close()
  await redis.cleanup()
  await db.drop()
})

test('a terminated worker finishes in-flight turns and hands back the rest', async () => {
  const first = spawnSwitchboard('worker', env)
  spawned.push(first)
  await first.waitForLog('switchboard started')
  const ids = Array.from({ length: 10 }, (_, i) => `term-${i}`)
  await sendTurns(sender, ids, 5)
  await waitFor(async () => (await countReplies(db.sql)) >= 10, 20_000, 'first replies')

  const signalled = Date.now()
  first.kill('SIGTERM')
  expect(await first.proc.exited).toBe(0)
  expect(Date.now() - signalled).toBeLessThan(5000)
  expect(first.output()).toContain('"msg":"stopped"')
  const answeredByFirst = await countReplies(db.sql)
  expect(answeredByFirst).toBeLessThan(50)

  const second = spawnSwitchboard('worker', env)
  spawned.push(second)
  await waitFor(async () => (await countReplies(db.sql)) >= 50, 30_000, 'all replies')
  const replies = await repliesByConversation(db.sql)
  for (const id of ids) expect(replies.get(id)).toEqual(Array.from({ length: 5 }, (_, i) => `${id}-m${i}`))
  // Nothing was left mid-turn: the second worker never had to take over an in-flight message.
  expect(second.output()).not.toContain('took over in-flight mail')
}, 60_000)
