// Spending caps hold across workers: reservations for one conversation, customer and agent come in at once from
// two separate connection pools (as two worker processes would send them), and the total never passes a cap.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { createSql, createStorage, type Storage } from '../../storage/index.ts'
import { createTestDatabase, type TestDatabase } from '../support/postgres.ts'
import { createTestRedis, type TestRedis } from '../support/redis.ts'

let db: TestDatabase
let redis: TestRedis
let workers: Storage[]
const DAY = '2026-12-04'

beforeAll(async () => {
  db = await createTestDatabase()
  redis = await createTestRedis()
  workers = [0, 1].map(() => createStorage(createSql({ url: db.url, schema: db.schema, maxConnections: 8 }), redis.client, redis.prefix))
})
afterAll(async () => {
  await Promise.all(workers.map((w) => w.sql.end()))
  await redis.cleanup()
  await db.drop()
})

const reservation = (i: number, caps: Record<string, number>, conversationId = 'conv-1', subject = 'ada_1815') => ({
  callId: `call-${conversationId}-${i}`, tenantId: 'acme', agent: 'retail', conversationId, subject, category: 'refund',
  amountUsd: 30, caps,
})

test('forty $30 refunds raced from two workers against a $500 conversation cap: sixteen go through, none beyond', async () => {
  const outcomes = await Promise.all(Array.from({ length: 40 }, (_, i) => workers[i % 2]!.spending.reserve(reservation(i, { perConversationUsd: 500 }), DAY)))
  expect(outcomes.filter((o) => o.ok)).toHaveLength(16)
  const [{ total }] = await db.sql`select sum(amount_usd)::float as total from spend_ledger where conversation_id = 'conv-1'` as any
  expect(total).toBe(480)
  expect(outcomes.find((o) => !o.ok)).toMatchObject({ ok: false, cap: 'perConversationUsd', limitUsd: 500 })
})

test('the customer and agent daily caps count across conversations; a released reservation frees its amount', async () => {
  const caps = { perCustomerDailyUsd: 100 }
  const outcomes = await Promise.all(Array.from({ length: 10 }, (_, i) => workers[i % 2]!.spending.reserve(reservation(i, caps, `conv-c${i}`, 'bob_1'), DAY)))
  expect(outcomes.filter((o) => o.ok)).toHaveLength(3)
  const granted = outcomes.findIndex((o) => o.ok)
  await workers[0]!.spending.release(`call-conv-c${granted}-${granted}`)
  expect(await workers[1]!.spending.reserve(reservation(99, caps, 'conv-late', 'bob_1'), DAY)).toEqual({ ok: true })
  // A redelivered call finds its own reservation: it is not counted twice, and not refused.
  expect(await workers[0]!.spending.reserve(reservation(99, caps, 'conv-late', 'bob_1'), DAY)).toEqual({ ok: true })
})
