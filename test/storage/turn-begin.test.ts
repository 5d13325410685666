// A turn's first statement for a conversation whose row the actor knows exists: it stores the message and reads the
// turn's facts as the full statement does, without trying to create the row; a row deleted meanwhile is created again.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { createTurnSteps } from '../../storage/postgres/turn-steps.ts'
import { createTestDatabase, type TestDatabase } from '../support/postgres.ts'

let db: TestDatabase
let steps: ReturnType<typeof createTurnSteps>

beforeAll(async () => {
  db = await createTestDatabase()
  steps = createTurnSteps(db.sql)
})

afterAll(() => db.drop())

const comparable = ({ message: _message, ...start }: Awaited<ReturnType<typeof steps.begin>>) => start

test('a stored conversation: the same start as the full statement, and the message stored once', async () => {
  const first = await steps.begin({ turnId: 'c1-t1', conversationId: 'c1', text: 'where is my order?', intent: 'order_status' })
  const full = await steps.begin({ turnId: 'c1-t2', conversationId: 'c1', text: 'and the refund?' })
  const known = await steps.begin({ turnId: 'c1-t3', conversationId: 'c1', text: 'and the refund?', conversationStored: true })
  expect(comparable(known)).toEqual(comparable(full))
  expect(first.inserted && known.inserted).toBe(true)
  const again = await steps.begin({ turnId: 'c1-t3', conversationId: 'c1', text: 'and the refund?', conversationStored: true })
  expect(again.inserted).toBe(false)
  expect(again.message?.seq).toBe(known.message?.seq)
  const rows = await db.sql`select id from messages where conversation_id = 'c1' order by seq`
  expect(rows.map((r) => r.id)).toEqual(['c1-t1', 'c1-t2', 'c1-t3'])
})

test('a conversation deleted after the actor read it is created again, as by a first turn', async () => {
  await steps.begin({ turnId: 'c2-t1', conversationId: 'c2', text: 'hello' })
  await db.sql`delete from conversations where id = 'c2'`
  const start = await steps.begin({ turnId: 'c2-t2', conversationId: 'c2', text: 'hello again', conversationStored: true })
  expect(start.inserted).toBe(true)
  expect(start.erased).toBe(false)
  expect((await db.sql`select count(*)::int as n from conversations where id = 'c2'`)[0]!.n).toBe(1)
  expect((await db.sql`select count(*)::int as n from turn_facts where turn_id = 'c2-t2'`)[0]!.n).toBe(1)
})

test('an erased conversation stores nothing, stored or not', async () => {
  await steps.begin({ turnId: 'c3-t1', conversationId: 'c3', text: 'hello' })
  await db.sql`insert into erased_conversations (id, tenant_id) values ('c3', 'default')`
  const start = await steps.begin({ turnId: 'c3-t2', conversationId: 'c3', text: 'my card is …', conversationStored: true })
  expect(start.erased).toBe(true)
  expect((await db.sql`select count(*)::int as n from messages where id = 'c3-t2'`)[0]!.n).toBe(0)
})
