// The executor's contract: unknown tools, schema-invalid calls, timeouts and oversized results come back
// as structured errors; a WRITE runs once per idempotency key, sequentially or concurrently.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'bun:test'
import { Type } from '@sinclair/typebox'
import type { PoolResults } from '../../actors/protocol.ts'
import { TerminalError } from '../../lib/errors.ts'
import { RETAIL_TOOLS, createToolExecutor, createToolRegistry, defineTool, type ToolExecutor } from '../../tools/index.ts'
import { createRetailFixture, type RetailFixture } from './support/retail-fixture.ts'

let fx: RetailFixture
let exec: ToolExecutor
let slowRuns = 0

const slowRead = defineTool({
  name: 'slow_read',
  description: 'sleeps',
  type: 'READ',
  timeoutMs: 50,
  parameters: Type.Object({ ms: Type.Number() }),
  run: async ({ ms }) => (await Bun.sleep(ms), 'done'),
})
const slowWrite = defineTool({
  name: 'slow_write',
  description: 'writes, then sleeps past its timeout',
  type: 'WRITE',
  timeoutMs: 100,
  parameters: Type.Object({ ms: Type.Number() }),
  async run({ ms }, { db }) {
    slowRuns++
    await db`insert into retail_outbox (user_id, kind) values ('slow', 'slow')`
    await Bun.sleep(ms)
    // After a timeout this late write must not run on the released connection, outside any transaction.
    await db`insert into retail_outbox (user_id, kind) values ('slow', 'late')`
    return 'written'
  },
})
const big = defineTool({
  name: 'big',
  description: 'a large result',
  type: 'GENERIC',
  maxResultChars: 100,
  parameters: Type.Object({}),
  run: async () => ({ blob: 'x'.repeat(1000) }),
})
const crash = defineTool({
  name: 'crash',
  description: 'a defect',
  type: 'GENERIC',
  parameters: Type.Object({}),
  run: async () => {
    throw new Error('boom')
  },
})

beforeAll(async () => {
  fx = await createRetailFixture()
  exec = createToolExecutor({ registry: createToolRegistry([...RETAIL_TOOLS, slowRead, slowWrite, big, crash]), sql: fx.sql })
})
afterAll(async () => {
  await fx.close()
})
beforeEach(async () => {
  await fx.reset()
})

const giftBalance = async (id: string) => (await fx.sql<{ balance: number }[]>`select balance from retail_payment_methods where id = ${id}`)[0]!.balance
// A pending order paid 4079.45 with gift card gift_card_7219486: its refund lands on the card at once.
const cancelArgs = { order_id: '#W6779827', reason: 'ordered by mistake' }

describe('refusals', () => {
  test('an unknown tool is tool.unknown', async () => {
    expect(await exec.executeTool({ tool: 'launch_rocket', args: {}, idempotencyKey: 'k' })).toEqual({
      ok: false,
      error: { code: 'tool.unknown', message: 'unknown tool: launch_rocket', retryable: false },
    })
  })

  test.each([
    ['a missing argument', { order_id: '#W1' }],
    ['a wrong type', { order_id: 42, reason: 'ordered by mistake' }],
    ['an unexpected argument', { order_id: '#W1', reason: 'ordered by mistake', refund: 'double' }],
    ['no object at all', 'cancel it'],
  ])('%s is tool.invalid_args and never runs the tool', async (_, args) => {
    const result = await exec.executeTool({ tool: 'cancel_pending_order', args, idempotencyKey: 'k' })
    expect(result).toMatchObject({ ok: false, error: { code: 'tool.invalid_args', retryable: false } })
    expect((await fx.sql`select count(*)::int as n from tool_calls`)[0]!.n).toBe(0)
  })

  test('a defect in a tool is a retryable internal error, not a throw', async () => {
    expect(await exec.executeTool({ tool: 'crash', args: {}, idempotencyKey: 'k' })).toEqual({
      ok: false,
      error: { code: 'internal', message: 'boom', retryable: true },
    })
  })
})

describe('limits', () => {
  test('a READ past its timeout is a retryable tool.timeout', async () => {
    const started = performance.now()
    const result = await exec.executeTool({ tool: 'slow_read', args: { ms: 2_000 }, idempotencyKey: 'k' })
    expect(result).toMatchObject({ ok: false, error: { code: 'tool.timeout', retryable: true } })
    expect(performance.now() - started).toBeLessThan(1_000)
  })

  test('a WRITE past its timeout rolls back its effect, cannot write late, and records nothing, so a retry may run it', async () => {
    const result = await exec.executeTool({ tool: 'slow_write', args: { ms: 400 }, idempotencyKey: 'slow-1' })
    expect(result).toMatchObject({ ok: false, error: { code: 'tool.timeout' } })
    await Bun.sleep(400) // let the abandoned transaction finish rolling back
    expect(await fx.sql`select 1 from retail_outbox where user_id = 'slow'`).toHaveLength(0)
    expect(await fx.sql`select 1 from tool_calls where idempotency_key = 'slow-1'`).toHaveLength(0)
    const retry = await exec.executeTool({ tool: 'slow_write', args: { ms: 0 }, idempotencyKey: 'slow-1' })
    expect(retry).toEqual({ ok: true, output: 'written' })
    expect(await fx.sql`select kind from retail_outbox where user_id = 'slow' order by id`).toEqual([{ kind: 'slow' }, { kind: 'late' }] as never)
  })

  test('an oversized result is replaced by a marked preview', async () => {
    const result = await exec.executeTool({ tool: 'big', args: {}, idempotencyKey: 'k' })
    expect(result).toMatchObject({ ok: true, output: { truncated: true, totalChars: 1011 } })
    expect(((result as { output: { preview: string } }).output.preview).length).toBe(100)
  })
})

describe('exactly-once WRITEs', () => {
  test('a retried WRITE with the same key applies once and returns the recorded result', async () => {
    const before = await giftBalance('gift_card_7219486')
    const first = await exec.executeTool({ tool: 'cancel_pending_order', args: cancelArgs, idempotencyKey: 'msg-1', conversationId: 'c-1', turnId: 't-1' })
    const again = await exec.executeTool({ tool: 'cancel_pending_order', args: cancelArgs, idempotencyKey: 'msg-1' })
    expect(first).toMatchObject({ ok: true, output: { status: 'cancelled' } })
    expect(again).toEqual({ ...first, replayed: true } as never)
    const refunds = await fx.sql`select 1 from retail_payments where order_id = ${cancelArgs.order_id} and transaction_type = 'refund'`
    expect(refunds).toHaveLength(1)
    expect(await fx.sql`select conversation_id, turn_id, ok from tool_calls where idempotency_key = 'msg-1'`).toEqual([{ conversation_id: 'c-1', turn_id: 't-1', ok: true }] as never)
    expect(await giftBalance('gift_card_7219486')).toBeCloseTo(before + (first as { output: { payment_history: { amount: number }[] } }).output.payment_history[0]!.amount, 2)
  })

  test('concurrent duplicates: one runs, the others wait and replay it', async () => {
    const results = await Promise.all(
      Array.from({ length: 5 }, () => exec.executeTool({ tool: 'cancel_pending_order', args: cancelArgs, idempotencyKey: 'msg-2' })),
    )
    expect(results.every((r) => r.ok)).toBe(true)
    expect(results.filter((r) => r.ok && !r.replayed)).toHaveLength(1)
    expect(await fx.sql`select 1 from retail_payments where order_id = ${cancelArgs.order_id} and transaction_type = 'refund'`).toHaveLength(1)
  })

  test('a refusal is recorded too: a redelivery answers the same even after the state changed', async () => {
    const args = { order_id: cancelArgs.order_id, reason: 'changed my mind' }
    const refused = await exec.executeTool({ tool: 'cancel_pending_order', args, idempotencyKey: 'msg-3' })
    expect(refused).toEqual({ ok: false, error: { code: 'tool.failed', message: 'Invalid reason', retryable: false } })
    expect(await exec.executeTool({ tool: 'cancel_pending_order', args, idempotencyKey: 'msg-3' })).toEqual(refused)
  })

  test('a key reused for another tool is a conflict, not a replay of the wrong result', async () => {
    await exec.executeTool({ tool: 'cancel_pending_order', args: cancelArgs, idempotencyKey: 'msg-4' })
    const other = await exec.executeTool({ tool: 'send_password_reset', args: { user_id: 'noah_brown_6181' }, idempotencyKey: 'msg-4' })
    expect(other).toMatchObject({ ok: false, error: { code: 'conflict', retryable: false } })
  })

  test('a result is exactly what the tool pool answers a tool.invoke with', async () => {
    const result: PoolResults['tool.invoke'] = await exec.executeTool({ tool: 'get_order_details', args: { order_id: '#W6779827' }, idempotencyKey: 'r-0' })
    expect(result).toMatchObject({ ok: true, output: { order_id: '#W6779827' } })
  })

  test('READ tools are not recorded', async () => {
    await exec.executeTool({ tool: 'get_order_details', args: { order_id: '#W6779827' }, idempotencyKey: 'r-1' })
    expect(await fx.sql`select 1 from tool_calls`).toHaveLength(0)
  })
})

describe('registry', () => {
  test('a duplicate tool name is a configuration error', () => {
    expect(() => createToolRegistry([slowRead, slowRead])).toThrow(TerminalError)
  })

  test('models are offered the 17 public retail tools with JSON Schema parameters, never the internal ones', () => {
    const specs = createToolRegistry([...RETAIL_TOOLS]).specs()
    expect(specs.map((s) => s.name)).toContain('send_password_reset')
    expect(specs.map((s) => s.name)).not.toContain('credit_dispute')
    expect(specs).toHaveLength(17)
    const cancel = specs.find((s) => s.name === 'cancel_pending_order')!
    expect(cancel.type).toBe('WRITE')
    expect(JSON.parse(JSON.stringify(cancel.parameters))).toMatchObject({ type: 'object', required: ['order_id', 'reason'] })
  })
})
