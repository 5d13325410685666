// The model call's context read stays an index lookup as the tables grow. A cached plan (a prepared statement's, or a
// function's) settles on a generic plan after a few runs; chosen while the tables were tiny, that plan scans them
// sequentially, and nothing replans it until an ANALYZE (none runs where autovacuum is off). Counted within one session and transaction, where the plan
// cache lives: `pg_stat_xact_user_tables` sees this transaction's scans only.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { loadTurnContext } from '../../storage/postgres/turn-context.ts'
import { createTestDatabase, type TestDatabase } from '../support/postgres.ts'

let db: TestDatabase

beforeAll(async () => {
  db = await createTestDatabase()
})

afterAll(() => db.drop())

test('the context read keeps looking messages up by id after the tables grow tenfold and more', async () => {
  await db.sql.begin(async (tx) => {
    await tx`insert into conversations (id) values ('c1'), ('other')`
    await tx`insert into messages (id, conversation_id, role, text) select 'c1-' || g, 'c1', 'customer', 'hello ' || g from generate_series(1, 20) g`
    const window = Array.from({ length: 20 }, (_, i) => `c1-${i + 1}`)
    for (let i = 0; i < 10; i++) await loadTurnContext(tx, 'c1-20', window, 'guardrail.input')

    await tx`insert into messages (id, conversation_id, role, text) select 'o-' || g, 'other', 'customer', 'filler ' || g from generate_series(1, 20000) g`
    await tx`insert into turn_steps (turn_id, step, result) select 'o-' || g, 'reply', '{}'::jsonb from generate_series(1, 20000) g`
    const scans = async () => (await tx<{ table: string; seq: number }[]>`select relname as table, seq_scan as seq from pg_stat_xact_user_tables
      where relname in ('messages', 'turn_steps') order by relname`).map((r) => `${r.table} ${r.seq}`)
    const before = await scans()
    const read = await loadTurnContext(tx, 'c1-20', window, 'guardrail.input')
    expect(read.messages.size).toBe(20)
    expect(await scans()).toEqual(before)
  })
})
