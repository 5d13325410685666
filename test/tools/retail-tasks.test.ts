// Each of τ²-bench's 74 retail training tasks: its expected actions run through the tool layer against a
// freshly seeded database succeed, READ answers match the data, and the touched orders and users end in
// the state the actions imply (statuses, refunds and gift card balances, items, addresses).
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { join } from 'node:path'
import type { RetailDb, ToolResult } from '../../tools/index.ts'
import { createRetailFixture, type RetailFixture } from './support/retail-fixture.ts'
import { SKIP, applyAction, expectedRead, writeRefusal } from './support/retail-oracle.ts'

interface Task {
  id: string
  evaluation_criteria: { actions: { name: string; arguments: Record<string, any> }[] } | null
}

const DATA = join(import.meta.dir, '..', '..', 'data', 'retail')
const tasks = (await Bun.file(join(DATA, 'tasks-train.json')).json()) as Task[]
const initial = (await Bun.file(join(DATA, 'db.json')).json()) as RetailDb
const WRITES = new Set(['cancel_pending_order', 'modify_pending_order_address', 'modify_pending_order_items', 'modify_pending_order_payment',
  'modify_user_address', 'return_delivered_order_items', 'exchange_delivered_order_items'])

let fx: RetailFixture
beforeAll(async () => {
  fx = await createRetailFixture()
})
afterAll(async () => {
  await fx.close()
})

const call = async (tool: string, args: unknown, idempotencyKey: string) => fx.executor.executeTool({ tool, args, idempotencyKey })

describe('τ²-bench retail training tasks', () => {
  test('there are 74 of them', () => expect(tasks).toHaveLength(74))

  for (const task of tasks) {
    test(`task ${task.id}`, async () => {
      await fx.reset()
      const model = structuredClone(initial)
      const orders = new Set<string>()
      const users = new Set<string>()
      for (const [i, action] of (task.evaluation_criteria?.actions ?? []).entries()) {
        const what = `${action.name} ${JSON.stringify(action.arguments)}`
        const result = await call(action.name, action.arguments, `task-${task.id}-${i}`)
        if (!WRITES.has(action.name)) {
          // Some golden trajectories include look-ups that fail (a wrong zip, an order id without '#').
          const expected = expectedRead(model, action.name, action.arguments)
          if (expected === SKIP) expect(result, what).toMatchObject({ ok: true })
          else expect(result, what).toEqual(expected === undefined ? refused(/not found/) : { ok: true, output: expected })
          continue
        }
        const refusal = writeRefusal(model, action.name, action.arguments)
        if (refusal) {
          expect(result, what).toEqual(refused(refusal))
          continue
        }
        expect(result, what).toMatchObject({ ok: true })
        applyAction(model, action.name, action.arguments)
        if (action.arguments.order_id) orders.add(action.arguments.order_id)
        users.add(action.arguments.user_id ?? model.orders[action.arguments.order_id]!.user_id)
      }
      for (const id of orders) expect(await read('get_order_details', { order_id: id })).toEqual(model.orders[id])
      for (const id of users) expect(await read('get_user_details', { user_id: id })).toEqual(model.users[id])
    })
  }
})

function refused(message: string | RegExp): ToolResult {
  return { ok: false, error: { code: 'tool.failed', message: typeof message === 'string' ? message : expect.stringMatching(message), retryable: false } }
}

async function read(tool: string, args: Record<string, string>): Promise<unknown> {
  const result = await call(tool, args, 'check')
  if (!result.ok) throw new Error(result.error.message)
  return result.output
}
