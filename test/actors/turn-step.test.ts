// step(name, fn): a turn's checkpoints in one place. fn runs once per turn, ever: a resumed turn (whose first
// statement read the recorded steps) gets the result back without running fn, and two deliveries racing on one step
// both end with the first one's result. That first statement, for a conversation whose row the actor knows exists,
// stores the message and reads the turn's facts as the full statement does, without trying to create the row; a row
// deleted meanwhile is created again.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { turnCheckpoints } from '../../actors/turn-step.ts'
import { createTurnSteps } from '../../storage/postgres/turn-steps.ts'
import { createTestDatabase, type TestDatabase } from '../support/postgres.ts'

let db: TestDatabase
let steps: ReturnType<typeof createTurnSteps>

beforeAll(async () => {
  db = await createTestDatabase()
  steps = createTurnSteps(db.sql)
})

afterAll(() => db.drop())

test('a recorded step is not run again by a resumed turn, and racing deliveries keep the first result', async () => {
  let runs = 0
  const work = (value: string) => async () => (runs++, { value })
  const first = turnCheckpoints(steps, 'turn-1', new Map())
  expect(await first.step('retrieve', work('a'))).toEqual({ value: 'a' })
  // Within the turn, and in a resumed turn that read its steps back, the result comes from the record.
  expect(await first.step('retrieve', work('b'))).toEqual({ value: 'a' })
  const resumed = turnCheckpoints(steps, 'turn-1', new Map([['retrieve', await steps.get('turn-1', 'retrieve')]]))
  expect(await resumed.step('retrieve', work('c'))).toEqual({ value: 'a' })
  expect(runs).toBe(1)

  // Two deliveries that both began before either recorded: both run, the first write wins for both.
  const [x, y] = [turnCheckpoints(steps, 'turn-2', new Map()), turnCheckpoints(steps, 'turn-2', new Map())]
  expect(await x.step('model.1', work('x'))).toEqual({ value: 'x' })
  expect(await y.step('model.1', work('y'))).toEqual({ value: 'x' })
})

test('a step whose work fails records nothing, and `save` writes the result where it belongs', async () => {
  const scope = turnCheckpoints(steps, 'turn-3', new Map())
  await expect(scope.step('tool.model.1.c1', async () => { throw new Error('down') })).rejects.toThrow('down')
  expect(await steps.get('turn-3', 'tool.model.1.c1')).toBeUndefined()
  const saved: string[] = []
  const kept = await scope.step('model.1', async () => ({ text: 'hi' }), async (r) => (saved.push(r.text), r))
  expect(kept).toEqual({ text: 'hi' })
  expect(saved).toEqual(['hi'])
  // Recorded by whoever `save` delegated to (here: nobody), not by the step itself.
  expect(await steps.get('turn-3', 'model.1')).toBeUndefined()
})

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
