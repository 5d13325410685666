// A turn's look back at its conversation's earlier customer messages (are any still owed a reply?) reads that
// conversation's messages only, however many customer messages the day holds elsewhere and whatever the statistics
// say. Counted within one session and transaction, where the statement's cached plan lives: the transaction's own scan
// count of an index sees its scans only.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { createTurnSteps } from '../../storage/postgres/turn-steps.ts'
import { createTestDatabase, type TestDatabase } from '../support/postgres.ts'

let db: TestDatabase

beforeAll(async () => {
  db = await createTestDatabase()
})

afterAll(() => db.drop())

test("a turn's first statement never reads the day's customer messages of other conversations", async () => {
  await db.sql.begin(async (tx) => {
    // A day of traffic elsewhere: 6,000 customer messages over 2,000 conversations, never analyzed.
    await tx`insert into conversations (id) select 'o' || g from generate_series(1, 2000) g`
    await tx`insert into messages (id, conversation_id, role, text)
      select 'o' || (g % 2000 + 1) || '-' || g, 'o' || (g % 2000 + 1), 'customer', 'where is my order?' from generate_series(1, 6000) g`
    const steps = createTurnSteps(tx as never)
    // Enough turns for the prepared statement to settle on its generic plan; none of them is answered.
    for (let i = 0; i < 8; i++) await steps.begin({ turnId: `c1-${i}`, conversationId: 'c1', text: `message ${i}`, conversationStored: i > 0 })
    const scans = async () => (await tx<{ n: number }[]>`select pg_stat_get_xact_numscans('messages_customer_created_idx'::regclass)::int as n`)[0]!.n
    const before = await scans()
    const start = await steps.begin({ turnId: 'c1-8', conversationId: 'c1', text: 'anyone there?', conversationStored: true })
    expect(start.earlierUnsettled).toBe(true)
    expect(await scans()).toBe(before)
  })
})
