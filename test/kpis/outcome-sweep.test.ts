// The sweep that keeps each conversation's judged row: it judges new and changed conversations and those a window
// ending may change, nothing else; a customer's return re-judges their earlier conversation; several sweepers share
// the work with each conversation judged exactly once. The background sweep waits for a mark to settle; a read does not.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { startKpiSweepTimer } from '../../analytics/index.ts'
import { DEFAULT_KPI_SETTINGS, judgeOutcomeRow } from '../../kpis/index.ts'
import { createLogger } from '../../lib/log.ts'
import { createKpiOutcomes, type KpiOutcomes } from '../../storage/index.ts'
import { createTestDatabase, type TestDatabase } from '../support/postgres.ts'
import { insertConversation } from '../support/kpi-fixtures.ts'
import { waitFor } from '../support/wait.ts'

const NOW = Date.parse('2026-06-10T12:00:00Z')
const H = 3_600_000
const ask = (atS: number, text = 'where is my order?') => ({ role: 'customer' as const, atS, text })
const reply = (atS: number) => ({ role: 'assistant' as const, atS })
const judgeAt = (now: number) => (f: Parameters<typeof judgeOutcomeRow>[0]) => judgeOutcomeRow(f, now, DEFAULT_KPI_SETTINGS)

let db: TestDatabase
let outcomes: KpiOutcomes
const outcomeOf = async (id: string) =>
  (await db.sql<{ outcome: string; recheck: number | null }[]>`select outcome, extract(epoch from recheck_at) * 1000 as recheck
    from conversation_outcomes where conversation_id = ${id}`)[0]
beforeAll(async () => {
  db = await createTestDatabase()
  outcomes = createKpiOutcomes(db.sql)
})
afterAll(() => db.drop())

describe('what a sweep judges', () => {
  test('new conversations once; then only a changed one', async () => {
    // closed an hour ago with no word: pending until its 72 h pass; another long settled
    await insertConversation(db.sql, { id: 'p1', tenant: 'ta', customer: 'cu1', intent: 'refund', createdAt: NOW - 2 * H, messages: [ask(0), reply(5)], closedAtS: 3600 })
    await insertConversation(db.sql, { id: 's1', tenant: 'ta', customer: 'cu2', intent: 'refund', createdAt: NOW - 30 * 24 * H, csat: 5,
      messages: [ask(0), reply(5)], closedAtS: 60 })
    expect(await outcomes.sweep(new Date(NOW), judgeAt(NOW))).toBe(2)
    expect(await outcomeOf('p1')).toEqual({ outcome: 'pending', recheck: NOW - H + 72 * H })
    expect(await outcomeOf('s1')).toEqual({ outcome: 'resolved', recheck: null })
    expect(await outcomes.sweep(new Date(NOW + H), judgeAt(NOW + H))).toBe(0)
    await db.sql`insert into messages (id, conversation_id, role, text, created_at) values ('s1.late', 's1', 'customer', 'thanks again', ${new Date(NOW)})`
    expect(await outcomes.backlog(new Date(NOW + H))).toBe(1)
    expect(await outcomes.sweep(new Date(NOW + H), judgeAt(NOW + H))).toBe(1)
  })

  test('a window ending makes a row due: the pending one resolves when its 72 h pass', async () => {
    const later = NOW + 72 * H
    expect(await outcomes.sweep(new Date(later), judgeAt(later))).toBe(1)
    expect(await outcomeOf('p1')).toEqual({ outcome: 'resolved', recheck: NOW - H + 7 * 24 * H })
  })

  test("a customer's return on the same intent re-judges their earlier conversation", async () => {
    await insertConversation(db.sql, { id: 'p2', tenant: 'ta', customer: 'cu3', intent: 'billing', createdAt: NOW - 2 * H, messages: [ask(0), reply(5)], closedAtS: 60 })
    expect(await outcomes.sweep(new Date(NOW), judgeAt(NOW))).toBe(1)
    expect((await outcomeOf('p2'))!.outcome).toBe('pending')
    await insertConversation(db.sql, { id: 'p3', tenant: 'ta', customer: 'cu3', intent: 'billing', createdAt: NOW - H, messages: [ask(0)] })
    expect(await outcomes.sweep(new Date(NOW), judgeAt(NOW))).toBe(2)
    expect((await outcomeOf('p2'))!.outcome).toBe('unresolved')
  })

  test("a return classified only by a later turn re-judges the customer's earlier conversation, an unclassified one leaves it be", async () => {
    await insertConversation(db.sql, { id: 'p4', tenant: 'ta', customer: 'cu4', intent: 'billing', createdAt: NOW - 2 * H, messages: [ask(0), reply(5)], closedAtS: 60 })
    await insertConversation(db.sql, { id: 'p5', tenant: 'ta', customer: 'cu4', createdAt: NOW - H, messages: [ask(0)] })
    expect(await outcomes.sweep(new Date(NOW), judgeAt(NOW))).toBe(2)
    expect((await outcomeOf('p4'))!.outcome).toBe('pending')
    // A turn's first statement stores its message and its facts together (turn-steps.ts).
    const turn = async (id: string, intent: string | null) => db.sql`with m as (insert into messages (id, conversation_id, role, text, created_at)
        values (${id}, 'p5', 'customer', 'my bill again', ${new Date(NOW - H / 2)}))
      insert into turn_facts (turn_id, conversation_id, agent, mode, intent, created_at) values (${id}, 'p5', 'bot', 'execute', ${intent}, ${new Date(NOW - H / 2)})`
    await turn('p5.m1', null)
    expect(await outcomes.sweep(new Date(NOW), judgeAt(NOW))).toBe(1)
    expect((await outcomeOf('p4'))!.outcome).toBe('pending')
    await turn('p5.m2', 'billing')
    expect(await outcomes.sweep(new Date(NOW), judgeAt(NOW))).toBe(2)
    expect((await outcomeOf('p4'))!.outcome).toBe('unresolved')
  })

  test("a turn's model calls are judged with the reply that ends the turn", async () => {
    await insertConversation(db.sql, { id: 'm1', tenant: 'te', createdAt: NOW - H, messages: [ask(0)] })
    expect(await outcomes.sweep(new Date(NOW), judgeAt(NOW))).toBe(1)
    await db.sql`insert into provider_calls (id, conversation_id, turn_id, provider, model, cost_usd, latency_ms)
      values ('m1.call', 'm1', 'm1-0', 'openai', 'gpt-4o-mini', 0.25, 100)`
    // The call alone marks nothing: its turn's reply does, once the call is stored.
    expect(await outcomes.backlog(new Date(NOW))).toBe(0)
    await db.sql`insert into messages (id, conversation_id, role, text, turn_id) values ('m1-0.reply', 'm1', 'assistant', 'on its way', 'm1-0')`
    expect(await outcomes.sweep(new Date(NOW), judgeAt(NOW))).toBe(1)
    const [row] = await db.sql<{ usd: number }[]>`select model_usd as usd from conversation_outcomes where conversation_id = 'm1'`
    expect(row!.usd).toBe(0.25)
  })

  test("a tenant's read sweeps that tenant only; an erased conversation takes its row with it", async () => {
    await insertConversation(db.sql, { id: 'o1', tenant: 'tb', createdAt: NOW - H, messages: [ask(0)] })
    await insertConversation(db.sql, { id: 'o2', tenant: 'tc', createdAt: NOW - H, messages: [ask(0)] })
    expect(await outcomes.sweep(new Date(NOW), judgeAt(NOW), { tenantId: 'tb' })).toBe(1)
    expect(await outcomes.backlog(new Date(NOW))).toBe(1)
    await db.sql`delete from conversations where id = 'o1'`
    expect(await outcomeOf('o1')).toBeUndefined()
    expect(await outcomes.sweep(new Date(NOW), judgeAt(NOW))).toBe(1)
  })
})

test('four sweepers at once judge each of 400 conversations exactly once', async () => {
  await db.sql`insert into conversations (id, tenant_id, agent, customer_id, status, created_at, closed_at)
    select 'many' || g, 'td', 'bot', 'cm' || g, 'closed', ${new Date(NOW - 5 * H)}, ${new Date(NOW - 4 * H)} from generate_series(1, 400) g`
  await db.sql`insert into messages (id, conversation_id, role, text, created_at)
    select 'many' || g || '.q', 'many' || g, 'customer', 'hello', ${new Date(NOW - 5 * H)} from generate_series(1, 400) g`
  const counts = await Promise.all([0, 1, 2, 3].map(() => outcomes.sweep(new Date(NOW), judgeAt(NOW), { batchSize: 25 })))
  expect(counts.reduce((a, b) => a + b, 0)).toBe(400)
  const [row] = await db.sql<{ n: number }[]>`select count(*)::int as n from conversation_outcomes where tenant_id = 'td'`
  expect(row!.n).toBe(400)
  expect(await outcomes.backlog(new Date(NOW))).toBe(0)
})

/** Open conversations of tenant `tenant`, each with one customer message, marked for the sweep. */
async function insertOpen(tenant: string, n: number): Promise<void> {
  await db.sql`insert into conversations (id, tenant_id, agent, status, created_at)
    select ${tenant} || g, ${tenant}, 'bot', 'open', ${new Date(NOW - H)} from generate_series(1, ${n}) g`
  await db.sql`insert into messages (id, conversation_id, role, text, created_at)
    select ${tenant} || g || '.q', ${tenant} || g, 'customer', 'hello', ${new Date(NOW - H)} from generate_series(1, ${n}) g`
}

const judgedOf = async (tenant: string) =>
  (await db.sql<{ n: number }[]>`select count(*)::int as n from conversation_outcomes where tenant_id = ${tenant}`)[0]!.n

describe('a paced sweep', () => {
  test('is asked between batches, with each batch\'s duration, whether to go on; stopping leaves the rest marked', async () => {
    await insertOpen('tp', 5)
    const durations: number[] = []
    const between = async (ms: number) => (durations.push(ms), durations.length < 2)
    expect(await outcomes.sweep(new Date(NOW), judgeAt(NOW), { tenantId: 'tp', batchSize: 2, between })).toBe(4)
    expect(durations).toHaveLength(2)
    expect(durations.every((ms) => ms > 0)).toBe(true)
    expect(await judgedOf('tp')).toBe(4)
    expect(await outcomes.sweep(new Date(NOW), judgeAt(NOW), { tenantId: 'tp' })).toBe(1)
  })

  test("the worker's timer judges a backlog larger than a batch over its rests, and closing cuts a rest short", async () => {
    await insertOpen('tq', 250)
    const clock = { now: () => NOW }
    const eager = startKpiSweepTimer({ storage: { kpiOutcomes: outcomes }, clock, log: createLogger(), settings: DEFAULT_KPI_SETTINGS, intervalMs: 20, share: 0.5 })
    while ((await judgedOf('tq')) < 250) await Bun.sleep(20)
    await eager.close()
    expect(await outcomes.backlog(new Date(NOW))).toBe(0)

    await insertOpen('tr', 250)
    // A rest 999 times its batch: the first batch is judged, then the sweep rests until closed.
    const patient = startKpiSweepTimer({ storage: { kpiOutcomes: outcomes }, clock, log: createLogger(), settings: DEFAULT_KPI_SETTINGS, intervalMs: 20, share: 0.001 })
    while ((await judgedOf('tr')) === 0) await Bun.sleep(20)
    const closing = performance.now()
    await patient.close()
    expect(performance.now() - closing).toBeLessThan(1000)
    const judged = await judgedOf('tr')
    expect(judged).toBeGreaterThan(0)
    expect(judged).toBeLessThan(250)
  })

  test("the worker's timer folds the log of changes into marks, with its sweep off too", async () => {
    await insertOpen('tf', 1)
    const logged = async () => (await db.sql<{ n: number }[]>`select count(*)::int as n from kpi_changes where conversation_id = 'tf1'`)[0]!.n
    const marked = async () => (await db.sql<{ n: number }[]>`select count(*)::int as n from kpi_dirty where conversation_id = 'tf1'`)[0]!.n
    expect(await logged()).toBe(2)
    const timer = startKpiSweepTimer({ storage: { kpiOutcomes: outcomes }, clock: { now: () => NOW }, log: createLogger(), settings: DEFAULT_KPI_SETTINGS, intervalMs: 0, foldMs: 20 })
    try {
      await waitFor(async () => (await logged()) === 0, 5000, 'the log folded')
    } finally {
      await timer.close()
    }
    expect(await marked()).toBe(1)
    expect(await judgedOf('tf')).toBe(0)
    expect(await outcomes.sweep(new Date(NOW), judgeAt(NOW), { tenantId: 'tf' })).toBe(1)
  })

  test('a fold that keeps failing is logged once, and again after one has succeeded', async () => {
    const warned: string[] = []
    const log = { ...createLogger(), warn: (message: string) => void warned.push(message) }
    const away = (gone: boolean) => db.sql.unsafe(gone ? 'alter table kpi_changes rename to kpi_changes_away' : 'alter table kpi_changes_away rename to kpi_changes')
    const timer = startKpiSweepTimer({ storage: { kpiOutcomes: outcomes }, clock: { now: () => NOW }, log, settings: DEFAULT_KPI_SETTINGS, intervalMs: 0, foldMs: 10 })
    try {
      await away(true)
      await waitFor(async () => warned.length > 0, 5000, 'the first failure logged')
      // Ten more attempts or so, all failing, none logged.
      await Bun.sleep(100)
      expect(warned).toEqual(['KPI change log fold failed'])
      await away(false)
      await insertOpen('tg', 1)
      await waitFor(async () => (await db.sql`select 1 from kpi_changes where conversation_id = 'tg1'`).length === 0, 5000, 'a fold that succeeds')
      await away(true)
      await waitFor(async () => warned.length === 2, 5000, 'the second failure logged')
    } finally {
      await timer.close()
      await db.sql`alter table if exists kpi_changes_away rename to kpi_changes`
    }
  })
})

describe('a settle delay', () => {
  const settled = { settleMs: 60_000 }
  // Ages the conversations' logged changes and marks alike: a fold keeps a mark's latest change time.
  const age = (ids: string[]) => db.sql.begin((tx) => [
    tx`update kpi_changes set at = now() - interval '2 minutes' where conversation_id = any(${ids})`,
    tx`update kpi_dirty set marked_at = now() - interval '2 minutes' where conversation_id = any(${ids})`,
  ])

  test("the sweep leaves a mark younger than the delay, and a move starts its wait again; a tenant's read judges it", async () => {
    await outcomes.sweep(new Date(NOW), judgeAt(NOW))
    await insertOpen('ts', 3)
    expect(await outcomes.sweep(new Date(NOW), judgeAt(NOW), settled)).toBe(0)
    await age(['ts1', 'ts2'])
    await db.sql`insert into messages (id, conversation_id, role, text) values ('ts2.more', 'ts2', 'customer', 'still there?')`
    expect(await outcomes.sweep(new Date(NOW), judgeAt(NOW), settled)).toBe(1)
    expect(await judgedOf('ts')).toBe(1)
    expect(await outcomes.sweep(new Date(NOW), judgeAt(NOW), { tenantId: 'ts' })).toBe(2)
    expect(await outcomes.backlog(new Date(NOW))).toBe(0)
  })

  test('a re-judging moves the marks already there, and each starts its wait again', async () => {
    await insertOpen('tj', 2)
    await age(['tj1', 'tj2'])
    expect(await outcomes.markAll({ tenantId: 'tj' })).toBe(2)
    expect(await outcomes.sweep(new Date(NOW), judgeAt(NOW), settled)).toBe(0)
    await age(['tj1', 'tj2'])
    expect(await outcomes.sweep(new Date(NOW), judgeAt(NOW), settled)).toBe(2)
  })

  test("a busy conversation's changes are logged, not marked one by one: a fold makes them one mark", async () => {
    await insertOpen('th', 1)
    expect(await outcomes.sweep(new Date(NOW), judgeAt(NOW), { tenantId: 'th' })).toBe(1)
    // The transaction's own counters, read before and after: they may start with earlier transactions' counts.
    const writes = await db.sql.begin(async (tx) => {
      const count = async () => (await tx<{ logged: number; marked: number }[]>`select pg_stat_get_xact_tuples_inserted('kpi_changes'::regclass)::int as logged,
        (pg_stat_get_xact_tuples_inserted('kpi_dirty'::regclass) + pg_stat_get_xact_tuples_updated('kpi_dirty'::regclass))::int as marked`)[0]!
      const before = await count()
      for (let i = 0; i < 3; i++) await tx`insert into messages (id, conversation_id, role, text) values (${`th1.m${i}`}, 'th1', 'customer', 'again')`
      const after = await count()
      return { logged: after.logged - before.logged, marked: after.marked - before.marked }
    })
    expect(writes).toEqual({ logged: 3, marked: 0 })
    expect(await outcomes.backlog(new Date(NOW))).toBe(1)
    expect(await outcomes.sweep(new Date(NOW), judgeAt(NOW), { tenantId: 'th' })).toBe(1)
    expect(await outcomes.backlog(new Date(NOW))).toBe(0)
    await db.sql`delete from conversations where tenant_id = 'th'`
  })

  test('a change that commits after a sweep has begun is judged by the next one', async () => {
    await insertOpen('tl', 1)
    expect(await outcomes.sweep(new Date(NOW), judgeAt(NOW), { tenantId: 'tl' })).toBe(1)
    // The reply's transaction takes its place in the log (and its message its sequence number) before the sweep runs,
    // and commits after it.
    const late = await db.sql.reserve()
    try {
      await late`begin`
      await late`insert into messages (id, conversation_id, role, text) values ('tl1.reply', 'tl1', 'assistant', 'here it is')`
      expect(await outcomes.sweep(new Date(NOW), judgeAt(NOW), { tenantId: 'tl' })).toBe(0)
      await late`commit`
    } finally {
      late.release()
    }
    expect(await outcomes.sweep(new Date(NOW), judgeAt(NOW), { tenantId: 'tl' })).toBe(1)
    const [row] = await db.sql<{ n: number }[]>`select ai_replies as n from conversation_outcomes where conversation_id = 'tl1'`
    expect(row!.n).toBe(1)
    await db.sql`delete from conversations where tenant_id = 'tl'`
  })

  test('a mark that moves while its conversation is judged stays, and the next sweep judges the change', async () => {
    await insertOpen('tm', 1)
    await age(['tm1'])
    // Another connection adds a message (and moves the mark) after the sweep read the facts, before it clears the mark.
    const judge = (f: Parameters<typeof judgeOutcomeRow>[0]) => {
      const psql = Bun.spawnSync(['psql', db.url, '-qc', "insert into messages (id, conversation_id, role, text) values ('tm1.more', 'tm1', 'assistant', 'here it is')"], {
        env: { ...process.env, PGOPTIONS: `-c search_path=${db.schema}` },
      })
      expect(psql.exitCode).toBe(0)
      return judgeAt(NOW)(f)
    }
    const repliesOf = async () => (await db.sql<{ n: number }[]>`select ai_replies as n from conversation_outcomes where conversation_id = 'tm1'`)[0]!.n
    expect(await outcomes.sweep(new Date(NOW), judge, settled)).toBe(1)
    expect(await repliesOf()).toBe(0)
    expect(await outcomes.backlog(new Date(NOW))).toBe(1)
    expect(await outcomes.sweep(new Date(NOW), judgeAt(NOW), settled)).toBe(0)
    expect(await outcomes.sweep(new Date(NOW), judgeAt(NOW))).toBe(1)
    expect(await repliesOf()).toBe(1)
  })

  test('four sweepers judge each of 300 settled marks once and leave the young ones', async () => {
    await insertOpen('tw', 350)
    await age(Array.from({ length: 300 }, (_, i) => `tw${i + 1}`))
    const counts = await Promise.all([0, 1, 2, 3].map(() => outcomes.sweep(new Date(NOW), judgeAt(NOW), { ...settled, batchSize: 25 })))
    expect(counts.reduce((a, b) => a + b, 0)).toBe(300)
    expect(await judgedOf('tw')).toBe(300)
    expect(await outcomes.backlog(new Date(NOW))).toBe(50)
  })

  test("a deleted conversation's mark goes with it", async () => {
    await db.sql`delete from conversations where tenant_id = 'tw'`
    expect(await outcomes.backlog(new Date(NOW))).toBe(0)
  })
})
