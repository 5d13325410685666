// The retail backend's business rules spelled out on known records (beyond the task replays): where the
// money goes, what is refused and left untouched, account recovery, arithmetic, and an idempotent seed.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'bun:test'
import { seedRetail } from '../../tools/index.ts'
import { createTestDatabase } from '../support/postgres.ts'
import { createRetailFixture, type RetailFixture } from './support/retail-fixture.ts'

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

let n = 0
const run = (tool: string, args: unknown) => fx.executor.executeTool({ tool, args, idempotencyKey: `k-${++n}` })
const output = async (tool: string, args: unknown) => {
  const r = await run(tool, args)
  if (!r.ok) throw new Error(r.error.message)
  return r.output as any
}
const balance = async (id: string) => (await fx.sql<{ balance: number }[]>`select balance from retail_payment_methods where id = ${id}`)[0]!.balance

// ava_nguyen_6646: pending order #W8367380 paid 1003.22 by credit_card_5683823; gift_card_1994993 holds 78.
const PENDING = '#W8367380'
const AVA_GIFT = 'gift_card_1994993'
// sophia_jackson_6355: delivered order #W4250821 paid by credit_card_8041020; another card and a gift card.
const DELIVERED = '#W4250821'

describe('pending orders', () => {
  test('a cancel paid by card refunds the card (later) and leaves gift cards alone', async () => {
    const order = await output('cancel_pending_order', { order_id: PENDING, reason: 'no longer needed' })
    expect(order.status).toBe('cancelled')
    expect(order.cancel_reason).toBe('no longer needed')
    expect(order.payment_history.at(-1)).toEqual({ transaction_type: 'refund', amount: 1003.22, payment_method_id: 'credit_card_5683823' })
    expect(await balance(AVA_GIFT)).toBe(78)
  })

  test('a payment change to a gift card that cannot cover the order is refused and changes nothing', async () => {
    expect(await run('modify_pending_order_payment', { order_id: PENDING, payment_method_id: AVA_GIFT })).toMatchObject({
      ok: false,
      error: { code: 'tool.failed', message: 'Insufficient gift card balance to pay for the order' },
    })
    expect((await output('get_order_details', { order_id: PENDING })).payment_history).toHaveLength(1)
  })

  test('an item change charges the difference to the gift card at once and can happen only once', async () => {
    const args = { order_id: PENDING, item_ids: ['2444431651'], new_item_ids: ['3877338112'], payment_method_id: AVA_GIFT }
    const order = await output('modify_pending_order_items', args)
    expect(order.status).toBe('pending (item modified)')
    expect(order.items.find((i: any) => i.item_id === '3877338112')).toMatchObject({ price: 545.68 })
    expect(order.payment_history.at(-1)).toEqual({ transaction_type: 'payment', amount: 10.84, payment_method_id: AVA_GIFT })
    expect(await balance(AVA_GIFT)).toBe(67.16)
    expect(await run('modify_pending_order_items', args)).toMatchObject({ ok: false, error: { message: 'Non-pending order cannot be modified' } })
  })

  test('an item can only become another available variant of the same product', async () => {
    const shoe = await run('modify_pending_order_items', { order_id: PENDING, item_ids: ['2444431651'], new_item_ids: ['9612497925'], payment_method_id: AVA_GIFT })
    expect(shoe).toMatchObject({ ok: false, error: { message: 'Variant not found' } })
  })
})

describe('delivered orders', () => {
  test('a return refunds only the original method or a gift card', async () => {
    const items = ['5222576926']
    const elsewhere = await run('return_delivered_order_items', { order_id: DELIVERED, item_ids: items, payment_method_id: 'credit_card_6547060' })
    expect(elsewhere).toMatchObject({ ok: false, error: { message: 'Payment method should be the original payment method' } })
    const order = await output('return_delivered_order_items', { order_id: DELIVERED, item_ids: items, payment_method_id: 'gift_card_6052478' })
    expect(order).toMatchObject({ status: 'return requested', return_items: items, return_payment_method_id: 'gift_card_6052478' })
  })

  test('an exchange records items and the price difference; a second one is refused', async () => {
    const before = await output('get_order_details', { order_id: DELIVERED })
    const line = before.items[0]
    const product = await output('get_product_details', { product_id: line.product_id })
    const other = Object.values(product.variants as Record<string, any>).find((v) => v.available && v.item_id !== line.item_id)
    const args = { order_id: DELIVERED, item_ids: [line.item_id], new_item_ids: [other.item_id], payment_method_id: 'credit_card_8041020' }
    const order = await output('exchange_delivered_order_items', args)
    expect(order).toMatchObject({ status: 'exchange requested', exchange_items: [line.item_id], exchange_new_items: [other.item_id] })
    expect(order.exchange_price_difference).toBeCloseTo(other.price - line.price, 2)
    expect(await run('exchange_delivered_order_items', args)).toMatchObject({ ok: false, error: { message: 'Non-delivered order cannot be exchanged' } })
  })
})

describe('accounts', () => {
  test('the default address changes; unknown users are refused', async () => {
    const address = { address1: '1 Main St', address2: '', city: 'Austin', state: 'TX', country: 'USA', zip: '78701' }
    expect((await output('modify_user_address', { user_id: 'ava_nguyen_6646', ...address })).address).toEqual(address)
    expect(await run('modify_user_address', { user_id: 'nobody_1', ...address })).toMatchObject({ ok: false, error: { message: 'User not found' } })
  })

  test('a password reset sends one masked-address email per call, even when the call is redelivered', async () => {
    const call = { tool: 'send_password_reset', args: { user_id: 'noah_brown_6181' }, idempotencyKey: 'reset-1' }
    const first = await fx.executor.executeTool(call)
    expect(first).toEqual({ ok: true, output: 'Password reset link sent to n***@example.com' })
    expect(await fx.executor.executeTool(call)).toMatchObject({ ok: true, replayed: true })
    const mails = await fx.sql`select payload from retail_outbox where user_id = 'noah_brown_6181' and kind = 'password_reset'`
    expect(mails).toHaveLength(1)
  })
})

describe('generic tools and look-ups', () => {
  test.each([
    ['2 + 2', '4.0'],
    ['(1003.22 - 10.84) * 2', '1984.76'],
    ['-3 / 4', '-0.75'],
  ])('calculate %s = %s', async (expression, expected) => {
    expect(await output('calculate', { expression })).toBe(expected)
  })

  test('calculate refuses anything but arithmetic', async () => {
    expect(await run('calculate', { expression: 'process.exit(1)' })).toMatchObject({ ok: false, error: { message: 'Invalid characters in expression' } })
    expect(await run('calculate', { expression: '1 / 0' })).toMatchObject({ ok: false, error: { message: 'Division by zero' } })
  })

  test('product types are a JSON string sorted by name; transfer answers as τ²-bench', async () => {
    const types = JSON.parse(await output('list_all_product_types', {}))
    expect(Object.keys(types)).toHaveLength(50)
    expect(Object.keys(types)).toEqual(Object.keys(types).sort())
    expect(await output('transfer_to_human_agents', { summary: 'wants a manager' })).toBe('Transfer successful')
  })

  test('find by email ignores case', async () => {
    expect(await output('find_user_id_by_email', { email: 'Noah.Brown7922@Example.com' })).toBe('noah_brown_6181')
  })
})

describe('seed', () => {
  test('on a fresh schema, racing seeders seed exactly once, quickly', async () => {
    const db = await createTestDatabase()
    try {
      const started = performance.now()
      const results = await Promise.all([seedRetail(db.sql), seedRetail(db.sql), seedRetail(db.sql)])
      expect(results.filter(Boolean)).toHaveLength(1)
      expect(performance.now() - started).toBeLessThan(5_000)
      expect((await db.sql`select count(*)::int as n from retail_payments`)[0]!.n).toBe(1102)
    } finally {
      await db.drop()
    }
  })

  test('seeding an already seeded schema is a no-op, even when several processes race', async () => {
    const results = await Promise.all([seedRetail(fx.sql), seedRetail(fx.sql), seedRetail(fx.sql)])
    expect(results).toEqual([false, false, false])
    const [counts] = await fx.sql`select (select count(*) from retail_users)::int as users, (select count(*) from retail_orders)::int as orders,
      (select count(*) from retail_items)::int as items`
    expect(counts).toEqual({ users: 500, orders: 1000, items: 591 })
  })
})
