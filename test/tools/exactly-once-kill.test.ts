// kill -9 of a tool worker between the effect and its acknowledgement: the redelivered call returns the
// recorded result and the effect (a refund to a gift card) happened exactly once. Killed before commit,
// the effect rolls back and the redelivery applies it, once.
import { afterAll, beforeAll, beforeEach, expect, test } from 'bun:test'
import { join } from 'node:path'
import { createRetailFixture, type RetailFixture } from './support/retail-fixture.ts'

const WORKER = join(import.meta.dir, 'fixtures', 'tool-worker.ts')
// Pending, paid 4079.45 with gift card gift_card_7219486: a cancel refunds the card immediately.
const ORDER = '#W6779827'
const CARD = 'gift_card_7219486'
const ARGS = { order_id: ORDER, reason: 'no longer needed' }

let fx: RetailFixture
beforeAll(async () => {
  fx = await createRetailFixture()
})
afterAll(async () => {
  await fx.close()
})
beforeEach(async () => {
  await fx.reset()
})

const balance = async () => (await fx.sql<{ balance: number }[]>`select balance from retail_payment_methods where id = ${CARD}`)[0]!.balance
const refunds = async () => (await fx.sql`select 1 from retail_payments where order_id = ${ORDER} and transaction_type = 'refund'`).length

/** Starts the worker, waits for `marker` on its stdout, then SIGKILLs it. */
async function runAndKill(hang: string, marker: string, key: string): Promise<void> {
  const proc = Bun.spawn([process.execPath, WORKER], {
    env: { ...process.env, SCHEMA: fx.schema, TOOL: 'cancel_pending_order', ARGS: JSON.stringify(ARGS), KEY: key, HANG: hang },
    stdout: 'pipe',
    stderr: 'inherit',
  })
  const reader = proc.stdout.getReader()
  let out = ''
  const deadline = Date.now() + 15_000
  while (!out.includes(marker)) {
    if (Date.now() > deadline) throw new Error(`worker never printed ${marker}: ${out}`)
    const { value, done } = await reader.read()
    if (done) throw new Error(`worker exited before ${marker}: ${out}`)
    out += new TextDecoder().decode(value)
  }
  proc.kill('SIGKILL')
  expect(await proc.exited).not.toBe(0)
  expect(proc.signalCode).toBe('SIGKILL')
}

test('killed after commit, before acknowledging: the retry replays and the refund happened once', async () => {
  const before = await balance()
  await runAndKill('after-commit', 'committed', 'invoke-after-commit')
  expect(await refunds()).toBe(1)
  const retry = await fx.executor.executeTool({ tool: 'cancel_pending_order', args: ARGS, idempotencyKey: 'invoke-after-commit' })
  expect(retry).toMatchObject({ ok: true, replayed: true, output: { status: 'cancelled' } })
  expect(await refunds()).toBe(1)
  expect(await balance()).toBeCloseTo(before + 4079.45, 2)
})

test('killed inside the transaction, before commit: nothing happened, and the retry applies it once', async () => {
  const before = await balance()
  await runAndKill('before-commit', 'effect-applied', 'invoke-before-commit')
  // The retry waits on the dead session's row lock until Postgres notices the closed socket and rolls back.
  const retry = await fx.executor.executeTool({ tool: 'cancel_pending_order', args: ARGS, idempotencyKey: 'invoke-before-commit' })
  expect(retry).toMatchObject({ ok: true, output: { status: 'cancelled' } })
  expect(retry).not.toHaveProperty('replayed')
  expect(await refunds()).toBe(1)
  expect(await balance()).toBeCloseTo(before + 4079.45, 2)
  const again = await fx.executor.executeTool({ tool: 'cancel_pending_order', args: ARGS, idempotencyKey: 'invoke-before-commit' })
  expect(again).toMatchObject({ ok: true, replayed: true })
  expect(await balance()).toBeCloseTo(before + 4079.45, 2)
})
