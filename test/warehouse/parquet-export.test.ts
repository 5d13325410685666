// The export as Parquet files on a real S3-protocol server (s3rver) on loopback: partitioned by stream, tenant and day,
// read back with an independent Parquet reader (hyparquet) and checked row by row; a batch sent again after a crash
// overwrites its own objects, so no row appears twice.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { createExportSource, type S3BlobStore } from '../../storage/index.ts'
import { createExporter, createParquetSink } from '../../warehouse/index.ts'
import { insertConversation } from '../support/kpi-fixtures.ts'
import { readParquet } from '../support/parquet.ts'
import { createTestDatabase, type TestDatabase } from '../support/postgres.ts'
import { startS3Server, type S3Server } from '../storage/s3-server.ts'

const DAY1 = Date.parse('2026-06-08T10:00:00Z')
const DAY2 = Date.parse('2026-06-09T10:00:00Z')
let db: TestDatabase
let s3: S3Server
let store: S3BlobStore

beforeAll(async () => {
  db = await createTestDatabase()
  s3 = await startS3Server()
  store = await s3.store('warehouse-test')
  const ask = (text: string) => ({ role: 'customer' as const, atS: 0, text })
  await insertConversation(db.sql, { id: 'p1', tenant: 'acme', createdAt: DAY1, messages: [ask('mail me at ann@example.com'), { role: 'assistant', atS: 1, text: 'done' }], csat: 5 })
  await insertConversation(db.sql, { id: 'p2', tenant: 'acme', createdAt: DAY2, messages: [ask('where is it?')], modelUsd: 0.125 })
  await insertConversation(db.sql, { id: 'p3', tenant: 'globex', createdAt: DAY2, messages: [ask('hello')] })
})
afterAll(async () => {
  await store.close()
  await s3.close()
  await db.drop()
})

const read = (key: string) => readParquet(store, key)

test('turns land as Parquet partitioned by tenant and day, redacted, and read back intact', async () => {
  const ex = createExporter({ source: createExportSource(db.sql), sink: createParquetSink({ store, prefix: 'wh' }), streams: ['turns', 'provider_calls', 'csat'], settleMs: 0 })
  expect(await ex.drain()).toEqual({ turns: 4, provider_calls: 1, csat: 1 })
  const keys = (await store.list('wh/turns/')).sort()
  expect(keys).toEqual(['wh/turns/tenant=acme/day=2026-06-08/start.parquet', 'wh/turns/tenant=acme/day=2026-06-09/start.parquet',
    'wh/turns/tenant=globex/day=2026-06-09/start.parquet'])
  const day1 = await read(keys[0]!)
  expect(day1.map((r) => [r.id, r.conversation_id, r.role, r.tenant_id])).toEqual([['p1.m0', 'p1', 'customer', 'acme'], ['p1.m1', 'p1', 'assistant', 'acme']])
  expect(String(day1[0]!.text)).not.toContain('ann@example.com')
  expect(day1[0]!.created_ms).toBe(BigInt(DAY1))
  expect(day1[1]!.turn_id).toBe('p1.m0')
  expect(day1[0]!.turn_id).toBeNull()
  const [call] = await read((await store.list('wh/provider_calls/'))[0]!)
  expect(call).toMatchObject({ id: 'p2.call', cost_usd: 0.125, model: 'gpt-4o-mini', tenant_id: 'acme' })
  const [rating] = await read((await store.list('wh/csat/'))[0]!)
  expect(rating).toMatchObject({ id: 'p1', rating: 5n })
})

test('a batch sent again from the same checkpoint overwrites its objects: no row twice', async () => {
  const source = createExportSource(db.sql)
  await insertConversation(db.sql, { id: 'p4', tenant: 'acme', createdAt: DAY2, messages: [{ role: 'customer', atS: 5, text: 'one more' }] })
  const before = await source.checkpoint('parquet:wh', 'turns')
  const sink = createParquetSink({ store, prefix: 'wh' })
  const ex = createExporter({ source, sink, streams: ['turns'], settleMs: 0 })
  await ex.drain()
  // a crash after the write and before the checkpoint moved: the checkpoint goes back, the batch is sent again
  await db.sql`update export_checkpoints set position = ${db.sql.json(before.position as never)} where sink = 'parquet:wh' and stream = 'turns'`
  await createExporter({ source, sink, streams: ['turns'], settleMs: 0 }).drain()
  const keys = await store.list('wh/turns/tenant=acme/day=2026-06-09/')
  const rows = (await Promise.all(keys.map(read))).flat()
  expect(rows.map((r) => r.id).sort()).toEqual(['p2.m0', 'p4.m0'])
})

test("a customer's erasure reaches the Parquet files: their rows are rewritten away, other rows stay", async () => {
  const source = createExportSource(db.sql)
  const sink = createParquetSink({ store, prefix: 'wh' })
  // what erasure leaves behind: the tombstone, and the conversation gone
  await db.sql`insert into erased_conversations (id, tenant_id) values ('p1', 'acme'), ('p2', 'acme')`
  await db.sql`delete from conversations where id in ('p1', 'p2')`
  await createExporter({ source, sink, streams: ['turns', 'provider_calls', 'csat'], settleMs: 0 }).drain()
  const rowsUnder = async (prefix: string) => (await Promise.all((await store.list(prefix)).map(read))).flat()
  expect((await rowsUnder('wh/turns/tenant=acme/')).map((r) => r.id).sort()).toEqual(['p4.m0'])
  expect(await store.list('wh/turns/tenant=acme/day=2026-06-08/')).toEqual([])
  expect(await store.list('wh/csat/tenant=acme/')).toEqual([])
  expect(await store.list('wh/provider_calls/tenant=acme/')).toEqual([])
  expect((await rowsUnder('wh/turns/tenant=globex/')).map((r) => r.id)).toEqual(['p3.m0'])
  // done once: the erasure checkpoint moved
  expect((await source.checkpoint('parquet:wh', 'erasures')).exported).toBe(2)
})
