// The export to a real ClickHouse server on loopback: every stream lands redacted, a second pass sends nothing, an
// updated conversation replaces its row, a killed exporter resumes with no row lost and none doubled, rows the
// warehouse refuses are dead-lettered without stopping the rest, and a stopped warehouse is waited out.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { join } from 'node:path'
import { createMetrics } from '../../lib/metrics.ts'
import { createExportSource } from '../../storage/index.ts'
import { createClickHouseSink, createExporter } from '../../warehouse/index.ts'
import { clickHouseAvailable, ownClickHouse, type OwnClickHouse } from '../support/clickhouse.ts'
import { seedTurns } from '../support/export-fixtures.ts'
import { insertConversation } from '../support/kpi-fixtures.ts'
import { createTestDatabase, type TestDatabase } from '../support/postgres.ts'
import { waitFor } from '../support/wait.ts'

const NOW = Date.now()
let db: TestDatabase
let ch: OwnClickHouse

beforeAll(async () => {
  if (!clickHouseAvailable) return
  ch = ownClickHouse()
  await ch.start()
  db = await createTestDatabase()
})
afterAll(async () => {
  await ch?.destroy()
  await db?.drop()
})

const exporterFor = (database: string, streams?: Parameters<typeof createExporter>[0]['streams'], batchSize = 1000) => createExporter({
  source: createExportSource(db.sql), sink: createClickHouseSink({ url: ch.url, database }), streams, batchSize, settleMs: 0, retryMs: 50, log: { debug() {}, info() {}, warn: (m: string, f?: unknown) => console.warn(m, f), error() {} },
})

describe.skipIf(!clickHouseAvailable)('export to ClickHouse', () => {
  test('every stream lands, redacted; a second pass sends nothing; an update replaces its row', async () => {
    await insertConversation(db.sql, { id: 'e1', tenant: 'tx', createdAt: NOW - 3_600_000, csat: 5, modelUsd: 0.25,
      messages: [{ role: 'customer', atS: 0, text: 'I am ann@example.com, call +1 415 555 0100' }, { role: 'assistant', atS: 2, text: 'on it' }],
      escalation: { atS: 5, category: 'customer_asked' } })
    await db.sql`insert into policy_decisions (tenant_id, conversation_id, call_id, tool, agent, rule, outcome, reason)
      values ('tx', 'e1', 'call-1', 'refund_order', 'bot', 'refund.cap', 'deny', 'over the cap for ann@example.com')`
    const ex = exporterFor('sb_all')
    await ex.prepare()
    expect(await ex.drain()).toEqual({ conversations: 1, turns: 2, provider_calls: 1, policy_decisions: 1, escalations: 1, csat: 1 })
    expect(await ch.query("select text from sb_all.turns where tenant_id = 'tx' order by seq")).not.toContain('ann@example.com')
    expect(await ch.query("select text from sb_all.turns where tenant_id = 'tx' order by seq")).not.toContain('555 0100')
    expect(await ch.query('select reason from sb_all.policy_decisions')).not.toContain('ann@example.com')
    expect(await ch.query("select cost_usd, model from sb_all.provider_calls")).toBe('0.25\tgpt-4o-mini')
    // The rating's own day (an hour ago), not today's: just after midnight they differ.
    expect(await ch.query('select rating, toString(day) from sb_all.csat')).toBe(`5\t${new Date(NOW - 3_600_000).toISOString().slice(0, 10)}`)
    expect(Object.values(await ex.drain()).every((n) => n === 0)).toBe(true)

    await db.sql`update conversations set status = 'closed', closed_at = now(), updated_at = now() - interval '1 second' where id = 'e1'`
    const third = await ex.drain()
    expect(third.conversations).toBe(1)
    expect(await ch.query("select status, count() from sb_all.conversations final where id = 'e1' group by status")).toBe('closed\t1')
 
    // the handoff is taken, then resolved: each change exported again, one row kept, the latest
    await db.sql`update escalations set status = 'taken', taken_at = now() where id = 'e1.esc'`
    expect((await ex.drain()).escalations).toBe(1)
    await db.sql`update escalations set status = 'resolved', resolved_at = now() where id = 'e1.esc'`
    expect((await ex.drain()).escalations).toBe(1)
    expect(await ch.query("select status, taken_ms > 0, resolved_ms > 0, count() from sb_all.escalations final where id = 'e1.esc' group by status, taken_ms, resolved_ms"))
      .toBe('resolved\t1\t1\t1')
  })

  test('an exporter killed with SIGKILL mid-stream is resumed: no row lost, none doubled', async () => {
    const total = 20_000
    await seedTurns(db.sql, total, { start: 1000 })
    const child = Bun.spawn(['bun', join(import.meta.dir, 'export-child.ts')], {
      env: { ...process.env, EXPORT_SCHEMA: db.schema, CLICKHOUSE_URL: ch.url, CLICKHOUSE_DB: 'sb_crash', EXPORT_BATCH: '250' },
      stdout: 'pipe', stderr: 'inherit',
    })
    await createClickHouseSink({ url: ch.url, database: 'sb_crash' }).prepare()
    const exportedSoFar = async () => (await db.sql<{ n: number }[]>`select coalesce(sum(exported), 0)::int as n from export_checkpoints where sink = 'clickhouse:sb_crash'`)[0]!.n
    try {
      await waitFor(async () => (await exportedSoFar()) >= 2000, 30_000, 'the child to export some turns')
    } finally {
      child.kill('SIGKILL')
      await child.exited
    }
    const atKill = await exportedSoFar()
    expect(atKill).toBeLessThan(total + 2)

    const ex = exporterFor('sb_crash', ['turns'], 2000)
    await ex.measure()
    const before = ex.progress().turns!
    expect(before.remaining).toBe(total + 2 - atKill)
    await ex.drain()
    expect(ex.progress().turns).toMatchObject({ exported: total + 2 - atKill, remaining: 0, fraction: 1 })
    expect(await exportedSoFar()).toBe(total + 2)
    expect(await ch.query('select count(), uniqExact(id) from sb_crash.turns final')).toBe(`${total + 2}\t${total + 2}`)
    await ch.query('optimize table sb_crash.turns final')
    expect(await ch.query('select count() from sb_crash.turns')).toBe(String(total + 2))
    expect(await ch.query("select countIf(text like '%@example.com%') from sb_crash.turns")).toBe('0')
    const scrape = (await createMetrics({ exports: () => createExportSource(db.sql).totals() }).render()).body
    expect(scrape).toContain(`switchboard_export_rows{sink="clickhouse:sb_crash",stream="turns",state="exported"} ${total + 2}`)
  }, 90_000)

  test('rows the warehouse refuses are dead-lettered and the rest land', async () => {
    const ex = exporterFor('sb_strict', ['turns'], 5000)
    await ex.prepare()
    // an operator narrowed the column: a human's turn no longer fits
    await ch.query("alter table sb_strict.turns modify column role Enum8('customer' = 1, 'assistant' = 2)")
    await insertConversation(db.sql, { id: 'd1', createdAt: NOW - 3_600_000,
      messages: [{ role: 'customer', atS: 0 }, { role: 'human_agent', atS: 1 }, { role: 'assistant', atS: 2 }] })
    await ex.drain()
    const source = createExportSource(db.sql)
    const dead = await source.deadLetters('clickhouse:sb_strict', 'turns')
    expect(dead.map((d) => d.key)).toEqual(['d1.m1'])
    expect(dead[0]!.error).toContain('ClickHouse refused the rows')
    expect(ex.progress().turns).toMatchObject({ deadLettered: 1 })
    expect(await ch.query("select count() from sb_strict.turns where conversation_id = 'd1'")).toBe('2')
    expect((await source.checkpoint('clickhouse:sb_strict', 'turns')).deadLettered).toBe(1)
  }, 60_000)

  test('a stopped warehouse is waited out: nothing is skipped, the checkpoint does not move until it is back', async () => {
    const ex = exporterFor('sb_outage', ['csat'])
    await ex.prepare()
    await insertConversation(db.sql, { id: 'o1', createdAt: NOW - 3_600_000, messages: [], csat: 4 })
    await ch.kill()
    const run = ex.drain()
    const source = createExportSource(db.sql)
    await Bun.sleep(300) // the exporter is retrying against a dead port
    expect((await source.checkpoint('clickhouse:sb_outage', 'csat')).exported).toBe(0)
    await ch.start()
    await run
    expect((await source.checkpoint('clickhouse:sb_outage', 'csat')).exported).toBeGreaterThan(0)
    expect(await ch.query("select rating from sb_outage.csat where id = 'o1'")).toBe('4')
  }, 60_000)

  test('one exporter per sink at a time: two workers running it export each row once', async () => {
    const source = createExportSource(db.sql)
    const lease = await source.lead('clickhouse:sb_lead')
    expect(lease).toBeDefined()
    expect(await source.lead('clickhouse:sb_lead')).toBeUndefined()
    await lease!.release()

    for (let i = 0; i < 30; i++) await insertConversation(db.sql, { id: `l${i}`, createdAt: NOW - 3_600_000, messages: [], csat: 1 + (i % 5) })
    const stop = new AbortController()
    const sinks = [createClickHouseSink({ url: ch.url, database: 'sb_lead' }), createClickHouseSink({ url: ch.url, database: 'sb_lead' })]
    const runs = sinks.map((sink) => createExporter({ source, sink, streams: ['csat'], batchSize: 7, settleMs: 0, idleMs: 20 }).runAsLeader(stop.signal))
    const ratings = (await db.sql<{ n: number }[]>`select count(*)::int as n from csat_ratings`)[0]!.n
    await waitFor(async () => (await source.checkpoint('clickhouse:sb_lead', 'csat')).exported >= ratings, 20_000, 'the csat rows to be exported')
    stop.abort()
    await Promise.all(runs)
    // every rating, exported once, by whichever worker held the lease
    expect((await source.checkpoint('clickhouse:sb_lead', 'csat')).exported).toBe(ratings)
    expect(await ch.query('select count() from sb_lead.csat')).toBe(String(ratings))
    await Promise.all(sinks.map((s) => s.close()))
  }, 60_000)
  test("a customer's erasure deletes their conversations' rows from every table (ALTER TABLE … DELETE)", async () => {
    await insertConversation(db.sql, { id: 'x1', tenant: 'tx', createdAt: NOW - 3_600_000, csat: 4, modelUsd: 0.1,
      messages: [{ role: 'customer', atS: 0, text: 'erase me' }], escalation: { atS: 5, category: 'customer_asked' } })
    await insertConversation(db.sql, { id: 'x2', tenant: 'tx', createdAt: NOW - 3_600_000, messages: [{ role: 'customer', atS: 0, text: 'keep me' }] })
    await db.sql`update conversations set updated_at = now() where id in ('x1', 'x2')`
    const ex = exporterFor('sb_all')
    await ex.drain()
    const rowsOf = (id: string) => ch.query(`select (select count() from sb_all.conversations where id = '${id}') + (select count() from sb_all.turns
      where conversation_id = '${id}') + (select count() from sb_all.csat where id = '${id}') + (select count() from sb_all.escalations where conversation_id = '${id}')
      + (select count() from sb_all.provider_calls where conversation_id = '${id}')`)
    expect(Number(await rowsOf('x1'))).toBe(5)
    await db.sql`insert into erased_conversations (id, tenant_id) values ('x1', 'tx')`
    await db.sql`delete from conversations where id = 'x1'`
    await ex.drain()
    // mutations run in the background
    await waitFor(async () => (await rowsOf('x1')) === '0', 20_000, 'the delete mutations')
    expect(await rowsOf('x2')).toBe('2')
  })
})
