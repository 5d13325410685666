// Data access for the retail tools: the τ²-bench JSON documents (built by the retail_*_docs views), row
// locks for writes, payment methods and gift card balances. Refusals use τ²-bench's wording.
import { TerminalError } from '../../lib/errors.ts'
import type { Tx } from '../types.ts'

export interface Address {
  address1: string
  address2: string
  city: string
  country: string
  state: string
  zip: string
}

export interface OrderItem {
  name: string
  product_id: string
  item_id: string
  price: number
  options: Record<string, string>
}

export interface Payment {
  transaction_type: 'payment' | 'refund'
  amount: number
  payment_method_id: string
}

export interface Order {
  order_id: string
  user_id: string
  address: Address
  items: OrderItem[]
  status: string
  fulfillments: { tracking_id: string[]; item_ids: string[] }[]
  payment_history: Payment[]
  [optional: string]: unknown
}

export interface Variant {
  item_id: string
  options: Record<string, string>
  available: boolean
  price: number
}

export interface PaymentMethod {
  id: string
  source: 'credit_card' | 'gift_card' | 'paypal'
  balance: number | null
}

/** A business refusal: terminal, recorded, and shown to the model as the tool's error. */
export function refuse(message: string): never {
  throw new TerminalError('tool.failed', message)
}

export async function orderDoc(db: Tx, orderId: string): Promise<Order> {
  const [row] = await db<{ doc: Order }[]>`select doc from retail_order_docs where order_id = ${orderId}`
  return row?.doc ?? refuse('Order not found')
}

/** Locks the order row for the rest of the transaction (two writes to one order serialize) and returns it. */
export async function lockedOrder(db: Tx, orderId: string): Promise<Order> {
  const [row] = await db<{ doc: Order }[]>`
    select d.doc from retail_orders o join retail_order_docs d using (order_id)
    where o.order_id = ${orderId} for update of o`
  return row?.doc ?? refuse('Order not found')
}

export async function userDoc(db: Tx, userId: string): Promise<Record<string, unknown>> {
  const [row] = await db<{ doc: Record<string, unknown> }[]>`select doc from retail_user_docs where user_id = ${userId}`
  return row?.doc ?? refuse('User not found')
}

/** The user's payment method, locked because its gift card balance may change in this transaction. */
export async function paymentMethod(db: Tx, userId: string, id: string): Promise<PaymentMethod> {
  const [row] = await db<PaymentMethod[]>`
    select id, source, balance from retail_payment_methods where id = ${id} and user_id = ${userId} for update`
  return row ?? refuse('Payment method not found')
}

/** Adds `amount` (negative to charge) to a gift card; the table's check keeps balances from going negative. */
export async function adjustGiftCard(db: Tx, id: string, amount: number): Promise<void> {
  await db`update retail_payment_methods set balance = balance + ${amount} where id = ${id} and source = 'gift_card'`
}

export async function appendPayments(db: Tx, orderId: string, payments: Payment[]): Promise<void> {
  const rows = payments.map((p, i) => ({ order_id: orderId, transaction_type: p.transaction_type, amount: p.amount, payment_method_id: p.payment_method_id, i }))
  // seq continues the order's history; `i` keeps the given order within this batch.
  await db`
    insert into retail_payments (order_id, seq, transaction_type, amount, payment_method_id)
    select ${orderId}, coalesce((select max(seq) from retail_payments where order_id = ${orderId}), -1) + 1 + r.i,
      r.transaction_type, r.amount::numeric, r.payment_method_id
    from json_to_recordset(${db.json(rows as never)}::json)
      as r(i int, transaction_type text, amount numeric, payment_method_id text)`
}

/** The variant `itemId` of `productId`, as τ²-bench's `_get_variant`. */
export async function variantOf(db: Tx, productId: string, itemId: string): Promise<Variant> {
  const [row] = await db<Variant[]>`
    select item_id, options, available, price from retail_items where item_id = ${itemId} and product_id = ${productId}`
  return row ?? refuse('Variant not found')
}

/** Money in cents, so that sums of prices round the way τ²-bench's `round(x, 2)` does. */
export const cents = (amount: number): number => Math.round(amount * 100)
export const dollars = (c: number): number => c / 100

/** τ²-bench's check that each item id appears in the order at least as often as in the request. */
export function assertItemsInOrder(order: Order, itemIds: string[], message: (id: string) => string): void {
  const have = order.items.map((i) => i.item_id)
  for (const id of itemIds) {
    if (itemIds.filter((x) => x === id).length > have.filter((x) => x === id).length) refuse(message(id))
  }
}
