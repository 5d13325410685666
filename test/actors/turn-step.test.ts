// step(name, fn): a turn's checkpoints in one place. fn runs once per turn, ever: a resumed turn (whose first
// statement read the recorded steps) gets the result back without running fn, and two deliveries racing on one step
// both end with the first one's result.
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
