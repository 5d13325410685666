// An in-memory reference of the retail WRITE semantics (τ²-bench's tools.py applied to db.json), used to
// say what state a task's expected actions imply. Deliberately written against the JSON, not the tables.
// Two documented differences from τ²-bench: a cancel refunds what each method net paid, and an item
// modification with no price difference records no zero-amount refund.
import type { RetailDb } from '../../../tools/index.ts'

type Args = Record<string, any>
type Payment = { transaction_type: 'payment' | 'refund'; amount: number; payment_method_id: string }

const round2 = (n: number) => Math.round(n * 100) / 100
const ADDRESS_KEYS = ['address1', 'address2', 'city', 'country', 'state', 'zip'] as const
const address = (a: Args) => Object.fromEntries(ADDRESS_KEYS.map((k) => [k, a[k]]))

/** Applies one successful WRITE action to `db` in place; READ and GENERIC actions change nothing. */
export function applyAction(db: RetailDb, name: string, a: Args): void {
  const order = a.order_id ? (db.orders[a.order_id] as any) : undefined
  const methods = (userId: string) => db.users[userId]!.payment_methods as Record<string, any>
  const credit = (userId: string, id: string, amount: number) => {
    const m = methods(userId)[id]
    if (m.source === 'gift_card') m.balance = round2(m.balance + amount)
  }
  switch (name) {
    case 'cancel_pending_order': {
      const refunds = netRefunds(order.payment_history)
      for (const r of refunds) credit(order.user_id, r.payment_method_id, r.amount)
      Object.assign(order, { status: 'cancelled', cancel_reason: a.reason })
      order.payment_history.push(...refunds)
      return
    }
    case 'modify_pending_order_address':
      order.address = address(a)
      return
    case 'modify_user_address':
      db.users[a.user_id]!.address = address(a) as any
      return
    case 'modify_pending_order_payment':
      return modifyPayment(order, a, credit)
    case 'modify_pending_order_items':
      return modifyItems(db, order, a, credit)
    case 'return_delivered_order_items':
      Object.assign(order, { status: 'return requested', return_items: [...a.item_ids].sort(), return_payment_method_id: a.payment_method_id })
      return
    case 'exchange_delivered_order_items':
      Object.assign(order, {
        status: 'exchange requested',
        exchange_items: [...a.item_ids].sort(),
        exchange_new_items: [...a.new_item_ids].sort(),
        exchange_payment_method_id: a.payment_method_id,
        exchange_price_difference: priceDifference(db, order, a),
      })
      return
  }
}

function modifyPayment(order: any, a: Args, credit: (u: string, id: string, amount: number) => void): void {
  const [first] = order.payment_history as Payment[]
  order.payment_history.push(
    { transaction_type: 'payment', amount: first!.amount, payment_method_id: a.payment_method_id },
    { transaction_type: 'refund', amount: first!.amount, payment_method_id: first!.payment_method_id },
  )
  credit(order.user_id, a.payment_method_id, -first!.amount)
  credit(order.user_id, first!.payment_method_id, first!.amount)
}

function modifyItems(db: RetailDb, order: any, a: Args, credit: (u: string, id: string, amount: number) => void): void {
  const diff = priceDifference(db, order, a)
  if (diff !== 0) {
    order.payment_history.push({ transaction_type: diff > 0 ? 'payment' : 'refund', amount: Math.abs(diff), payment_method_id: a.payment_method_id })
    credit(order.user_id, a.payment_method_id, -diff)
  }
  const replaced = new Set<number>()
  a.item_ids.forEach((oldId: string, k: number) => {
    const pos = order.items.findIndex((i: any, p: number) => i.item_id === oldId && !replaced.has(p))
    const line = order.items[pos]
    const variant = db.products[line.product_id]!.variants[a.new_item_ids[k]]!
    Object.assign(line, { item_id: variant.item_id, price: variant.price, options: variant.options })
    replaced.add(pos)
  })
  order.status = 'pending (item modified)'
}

function priceDifference(db: RetailDb, order: any, a: Args): number {
  let diff = 0
  a.item_ids.forEach((oldId: string, k: number) => {
    const line = order.items.find((i: any) => i.item_id === oldId)
    diff += db.products[line.product_id]!.variants[a.new_item_ids[k]]!.price - line.price
  })
  return round2(diff)
}

function netRefunds(history: Payment[]): Payment[] {
  const net = new Map<string, number>()
  for (const p of history) net.set(p.payment_method_id, round2((net.get(p.payment_method_id) ?? 0) + (p.transaction_type === 'payment' ? p.amount : -p.amount)))
  return [...net].filter(([, v]) => v > 0).map(([id, amount]) => ({ transaction_type: 'refund', amount, payment_method_id: id }))
}

/** What a READ action must answer given `db` (`undefined`: not found), or `skip` for outputs not checked here. */
export function expectedRead(db: RetailDb, name: string, a: Args): unknown {
  switch (name) {
    case 'get_order_details':
      return db.orders[a.order_id]
    case 'get_user_details':
      return db.users[a.user_id]
    case 'get_product_details':
      return db.products[a.product_id]
    case 'get_item_details':
      return Object.values(db.products).flatMap((p) => Object.values(p.variants)).find((v) => v.item_id === a.item_id)
    case 'find_user_id_by_email':
      return Object.values(db.users).find((u) => u.email.toLowerCase() === a.email.toLowerCase())?.user_id
    case 'find_user_id_by_name_zip':
      return Object.values(db.users).find(
        (u) => u.name.first_name.toLowerCase() === a.first_name.toLowerCase() && u.name.last_name.toLowerCase() === a.last_name.toLowerCase() && u.address.zip === a.zip,
      )?.user_id
    default:
      return SKIP
  }
}
export const SKIP = Symbol('skip')

/** τ²-bench's refusal for a WRITE action on `db`, in its wording, or `undefined` when the action applies. */
export function writeRefusal(db: RetailDb, name: string, a: Args): string | undefined {
  if (name === 'modify_user_address') return db.users[a.user_id] ? undefined : 'User not found'
  const order = db.orders[a.order_id] as any
  if (!order) return 'Order not found'
  const method = (db.users[order.user_id]!.payment_methods as Record<string, any>)[a.payment_method_id]
  const missing = (ids: string[]) => ids.find((id) => ids.filter((x) => x === id).length > order.items.filter((i: any) => i.item_id === id).length)
  const giftShort = (amount: number) => method?.source === 'gift_card' && method.balance < amount
  switch (name) {
    case 'cancel_pending_order':
      if (order.status !== 'pending') return 'Non-pending order cannot be cancelled'
      return ['no longer needed', 'ordered by mistake'].includes(a.reason) ? undefined : 'Invalid reason'
    case 'modify_pending_order_address':
      return order.status.includes('pending') ? undefined : 'Non-pending order cannot be modified'
    case 'modify_pending_order_payment':
      if (!order.status.includes('pending')) return 'Non-pending order cannot be modified'
      if (!method) return 'Payment method not found'
      if (order.payment_history.length !== 1) return 'There should be exactly one payment for a pending order'
      if (order.payment_history[0].payment_method_id === a.payment_method_id) return 'The new payment method should be different from the current one'
      return giftShort(order.payment_history[0].amount) ? 'Insufficient gift card balance to pay for the order' : undefined
    case 'modify_pending_order_items':
    case 'exchange_delivered_order_items': {
      const modify = name === 'modify_pending_order_items'
      if (order.status !== (modify ? 'pending' : 'delivered')) return modify ? 'Non-pending order cannot be modified' : 'Non-delivered order cannot be exchanged'
      if (missing(a.item_ids)) return `Number of ${missing(a.item_ids)} not found.`
      if (!method) return 'Payment method not found'
      const short = giftShort(priceDifference(db, order, a))
      return short ? (modify ? 'Insufficient gift card balance to pay for the new item' : 'Insufficient gift card balance to pay for the price difference') : undefined
    }
    case 'return_delivered_order_items':
      if (order.status !== 'delivered') return 'Non-delivered order cannot be returned'
      if (!method) return 'Payment method not found'
      if (method.source !== 'gift_card' && a.payment_method_id !== order.payment_history[0].payment_method_id) return 'Payment method should be the original payment method'
      return missing(a.item_ids) ? 'Some item not found' : undefined
  }
  return undefined
}
