// The worker role as deployed, configured with a Parquet bucket on a real S3-protocol server (s3rver): it streams what
// the platform records to Parquet files partitioned by tenant and day, read back here with an independent reader; and
// its KPI sweep judges the same conversations into their outcome rows with no read asking for them.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { startPlatform, type Platform } from '../../platform.ts'
import type { S3BlobStore } from '../../storage/index.ts'
import { insertConversation } from '../support/kpi-fixtures.ts'
import { testConfig } from '../support/platform.ts'
import { readParquet } from '../support/parquet.ts'
import { createTestDatabase, type TestDatabase } from '../support/postgres.ts'
import { createTestRedis, type TestRedis } from '../support/redis.ts'
import { waitFor } from '../support/wait.ts'
import { startS3Server, type S3Server } from '../storage/s3-server.ts'

const DAY = 86_400_000
let db: TestDatabase
let redis: TestRedis
let s3: S3Server
let store: S3BlobStore
let platform: Platform

beforeAll(async () => {
  db = await createTestDatabase()
  redis = await createTestRedis()
  s3 = await startS3Server()
  store = await s3.store('warehouse-worker')
  platform = await startPlatform(testConfig(redis.prefix, db.schema, {
    ROLE: 'worker', EXPORT_PARQUET_BUCKET: 'warehouse-worker', EXPORT_PARQUET_PREFIX: 'lake', S3_ENDPOINT: s3.endpoint, S3_FORCE_PATH_STYLE: 'true',
    S3_ACCESS_KEY_ID: 'S3RVER', S3_SECRET_ACCESS_KEY: 'S3RVER', KPI_SWEEP_MS: '200', KPI_SETTLE_MS: '300', QA_SAMPLE_CHECK_MS: '0', SYSTEMIC_CHECK_MS: '0',
  }))
})
afterAll(async () => {
  await platform.close()
  await store.close()
  await s3.close()
  await redis.cleanup()
  await db.drop()
})

const read = (key: string) => readParquet(store, key)

test('what the platform records reaches S3 as Parquet per tenant and day, and is judged into outcome rows', async () => {
  const created = Date.now() - 3 * DAY
  const day = new Date(created).toISOString().slice(0, 10)
  await insertConversation(db.sql, { id: 'w1', tenant: 'acme', customer: 'cu1', intent: 'refund', createdAt: created, csat: 5,
    messages: [{ role: 'customer', atS: 0, text: 'refund please, card 4111 1111 1111 1111' }, { role: 'assistant', atS: 2, text: 'Done.' }], closedAtS: 60 })
  await insertConversation(db.sql, { id: 'w2', tenant: 'globex', createdAt: created, messages: [{ role: 'customer', atS: 0, text: 'hello' }] })
  // A tenant's turns may land in more than one file (the exporter may pass between the fixture's inserts).
  const turnsOf = async (tenant: string) => {
    const keys = (await store.list(`lake/turns/tenant=${tenant}/`)).sort()
    return { folders: [...new Set(keys.map((k) => k.replace(/[^/]+\.parquet$/, '')))], rows: (await Promise.all(keys.map(read))).flat() }
  }
  const [acme, globex] = await waitFor(async () => {
    const both = await Promise.all([turnsOf('acme'), turnsOf('globex')])
    return both[0].rows.length === 2 && both[1].rows.length === 1 && both
  }, 20_000, 'the worker to export both tenants\' turns')
  expect([...acme.folders, ...globex.folders]).toEqual([`lake/turns/tenant=acme/day=${day}/`, `lake/turns/tenant=globex/day=${day}/`])
  const turns = acme.rows.sort((a, b) => String(a.id).localeCompare(String(b.id)))
  expect(turns.map((r) => [r.id, r.role])).toEqual([['w1.m0', 'customer'], ['w1.m1', 'assistant']])
  expect(String(turns[0]!.text)).not.toContain('4111')
  const rating = await waitFor(async () => (await store.list('lake/csat/tenant=acme/'))[0], 20_000, 'the CSAT export')
  expect((await read(rating))[0]).toMatchObject({ id: 'w1', rating: 5n })
  const outcome = await waitFor(async () => (await db.sql<{ outcome: string; confirmation: string }[]>`select outcome, confirmation
    from conversation_outcomes where conversation_id = 'w1'`)[0], 20_000, 'the KPI sweep')
  expect(outcome).toEqual({ outcome: 'resolved', confirmation: 'csat' })
})
