// The retail demo policy at the tool boundary, on τ²-bench's 74 training tasks: every expected action runs when the
// authenticated customer confirmed the details shown to them, and at least a hundred violating variants built from
// the same actions are refused without changing anything.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { join } from 'node:path'
import type { RetailDb } from '../../tools/index.ts'
import { detailsOf, startPolicyBench, type PolicyBench } from './support.ts'

interface Action { name: string; arguments: Record<string, any> }
interface Task { id: string; evaluation_criteria: { actions: Action[] } | null }

const DATA = join(import.meta.dir, '..', '..', 'data', 'retail')
const tasks = (await Bun.file(join(DATA, 'tasks-train.json')).json()) as Task[]
const db = (await Bun.file(join(DATA, 'db.json')).json()) as RetailDb
const WRITES = new Set(['cancel_pending_order', 'modify_pending_order_address', 'modify_pending_order_items', 'modify_pending_order_payment',
  'modify_user_address', 'return_delivered_order_items', 'exchange_delivered_order_items'])
// The platform turns the handoff tool into an escalation before any tool runs.
const PLATFORM_HANDLED = new Set(['transfer_to_human_agents'])

let bench: PolicyBench
beforeAll(async () => {
  bench = await startPolicyBench()
})
afterAll(() => bench.close())

const ownerOf = (a: Action): string => (a.arguments.user_id ?? (db.orders[a.arguments.order_id] as { user_id: string }).user_id) as string
const emailOf = (userId: string) => (db.users[userId] as { email: string }).email
const writesOf = (t: Task) => (t.evaluation_criteria?.actions ?? []).filter((a) => WRITES.has(a.name))

async function authenticate(conversationId: string, userId: string): Promise<void> {
  const result = await bench.call(conversationId, 'find_user_id_by_email', { email: emailOf(userId) }, { said: `my email is ${emailOf(userId)}` })
  expect(result).toMatchObject({ ok: true })
}

let writes = 0

describe('the expected actions of every training task', () => {
  for (const task of tasks) {
    test(`task ${task.id}`, async () => {
      await bench.fx.reset()
      const actions = (task.evaluation_criteria?.actions ?? []).filter((a) => !PLATFORM_HANDLED.has(a.name))
      const conversationId = `gold-${task.id}`
      const first = actions.find((a) => WRITES.has(a.name) || a.name === 'get_user_details')
      if (first && !actions.some((a) => a.name.startsWith('find_user_id'))) await authenticate(conversationId, ownerOf(first))
      for (const a of actions) {
        const exchange = WRITES.has(a.name) ? { shown: detailsOf(a.name, a.arguments), said: 'yes' } : {}
        const result = await bench.call(conversationId, a.name, a.arguments, exchange)
        // A few expected actions fail in the data itself (an item id asked for as a product, a gift card short of the
        // difference): test/tools/retail-tasks.test.ts checks those; here the policy must never be why.
        const blocked = !result.ok && result.error.code.startsWith('policy.')
        expect({ action: a.name, blocked, error: result.ok ? undefined : result.error }).toMatchObject({ action: a.name, blocked: false })
        if (WRITES.has(a.name) && result.ok) writes++
      }
    })
  }
})

test('119 of the 120 expected writes ran (the other is refused by the data, not the policy)', () => {
  expect(writes).toBe(119)
})

describe('violating variants of the expected writes', () => {
  const variants: Array<{ name: string; run: () => Promise<{ ok: boolean; error?: { code: string } }> }> = []
  const OTHER = 'sofia_hernandez_8513'
  let n = 0
  for (const task of tasks) {
    for (const a of writesOf(task)) {
      const owner = ownerOf(a)
      const id = () => `bad-${task.id}-${++n}`
      variants.push({ name: `task ${task.id} ${a.name}: before authentication`, run: () => bench.call(id(), a.name, a.arguments, { shown: detailsOf(a.name, a.arguments), said: 'yes' }) })
      variants.push({
        name: `task ${task.id} ${a.name}: by another customer`,
        run: async () => {
          const c = id()
          await authenticate(c, owner === OTHER ? 'ivan_santos_6635' : OTHER)
          return bench.call(c, a.name, a.arguments, { shown: detailsOf(a.name, a.arguments), said: 'yes' })
        },
      })
      variants.push({
        name: `task ${task.id} ${a.name}: without the details shown`,
        run: async () => {
          const c = id()
          await authenticate(c, owner)
          return bench.call(c, a.name, a.arguments, { shown: 'Is there anything else I can do?', said: 'yes' })
        },
      })
      variants.push({
        name: `task ${task.id} ${a.name}: the customer did not say yes`,
        run: async () => {
          const c = id()
          await authenticate(c, owner)
          return bench.call(c, a.name, a.arguments, { shown: detailsOf(a.name, a.arguments), said: 'hmm, what would that cost me?' })
        },
      })
      if (a.name === 'return_delivered_order_items') {
        variants.push({
          name: `task ${task.id} return to someone else's card`,
          run: async () => {
            const c = id()
            await authenticate(c, owner)
            const args = { ...a.arguments, payment_method_id: 'credit_card_3753643' }
            return bench.call(c, a.name, args, { shown: detailsOf(a.name, args), said: 'yes' })
          },
        })
      }
    }
  }

  test('there are at least a hundred, built from every task with a write', () => {
    expect(variants.length).toBeGreaterThanOrEqual(100)
  })

  test('every one is refused, and no write ran', async () => {
    await bench.fx.reset()
    const allowed: string[] = []
    for (const v of variants) {
      const result = await v.run()
      if (result.ok || !result.error?.code.startsWith('policy.')) allowed.push(`${v.name}: ${JSON.stringify(result).slice(0, 200)}`)
    }
    expect(allowed).toEqual([])
    expect((await bench.fx.sql`select count(*)::int as n from tool_calls`)[0]!.n).toBe(0)
  }, 120_000)
})
