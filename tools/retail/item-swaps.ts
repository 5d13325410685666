// The item checks and price arithmetic shared by "modify pending order items" and "exchange delivered
// order items": same product, available variant, the price difference, and the gift card cover check.
import type { Tx } from '../types.ts'
import { assertItemsInOrder, cents, refuse, variantOf, type Order, type PaymentMethod } from './store.ts'

export interface ItemSwap {
  /** Position of the replaced line in the order. */
  position: number
  item_id: string
  price: number
  options: Record<string, string>
}

export interface SwapPlan {
  swaps: ItemSwap[]
  /** New total minus old total, in cents: positive means the customer pays. */
  diffCents: number
}

/**
 * Validates each (old → new) pair the way τ²-bench does and resolves which order line each pair
 * replaces: pairs apply in order, so a duplicated old id replaces the next line still holding it.
 */
export async function planSwaps(db: Tx, order: Order, itemIds: string[], newItemIds: string[], strictlyDifferent: boolean): Promise<SwapPlan> {
  assertItemsInOrder(order, itemIds, (id) => `Number of ${id} not found.`)
  if (itemIds.length !== newItemIds.length) refuse('The number of items to be exchanged should match.')
  const taken = new Set<number>()
  const swaps: ItemSwap[] = []
  let diffCents = 0
  for (const [k, oldId] of itemIds.entries()) {
    const newId = newItemIds[k]!
    if (strictlyDifferent && oldId === newId) refuse('The new item id should be different from the old item id')
    const position = order.items.findIndex((item, p) => item.item_id === oldId && !taken.has(p))
    const line = order.items[position] ?? refuse(`Item ${oldId} not found`)
    const variant = await variantOf(db, line.product_id, newId)
    if (!variant.available) refuse(`New item ${newId} not found or available`)
    diffCents += cents(variant.price) - cents(line.price)
    taken.add(position)
    swaps.push({ position, item_id: newId, price: variant.price, options: variant.options })
  }
  return { swaps, diffCents }
}

/** A gift card paying the difference must cover it (τ²-bench checks gift cards only). */
export function assertCovers(method: PaymentMethod, amountCents: number, message: string): void {
  if (method.source === 'gift_card' && cents(method.balance ?? 0) < amountCents) refuse(message)
}

/** Rewrites the swapped order lines in one statement. */
export async function applySwaps(db: Tx, orderId: string, swaps: ItemSwap[]): Promise<void> {
  await db`
    update retail_order_items t set item_id = s.item_id, price = s.price, options = s.options
    from json_to_recordset(${db.json(swaps as never)}::json) as s(position int, item_id text, price numeric, options json)
    where t.order_id = ${orderId} and t.position = s.position`
}
