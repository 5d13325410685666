// The WRITE tools on pending orders: cancel, and modify the address, the payment method or the items.
// Each locks the order row first; gift card money moves immediately, cards and PayPal settle later.
import { Type } from '@sinclair/typebox'
import { defineTool } from '../define.ts'
import { applySwaps, assertCovers, planSwaps } from './item-swaps.ts'
import { AddressArgs, args, ItemIds, NewItemIds, OrderId, PaymentMethodId } from './params.ts'
import { adjustGiftCard, appendPayments, cents, dollars, lockedOrder, orderDoc, paymentMethod, refuse, type Payment } from './store.ts'

const CANCEL_REASONS = ['no longer needed', 'ordered by mistake']
// τ²-bench's `_is_pending_order`: 'pending (item modified)' still counts for address and payment changes.
const isPending = (status: string) => status.includes('pending')

export const cancelPendingOrder = defineTool({
  name: 'cancel_pending_order',
  description:
    "Cancel a pending order. If the order is already processed or delivered, it cannot be cancelled. The agent needs to explain the cancellation detail and ask for explicit user confirmation (yes/no) to proceed. If the user confirms, the order status will be changed to 'cancelled' and the payment will be refunded. The refund will be added to the user's gift card balance immediately if the payment was made using a gift card, otherwise the refund would take 5-7 business days to process. The function returns the order details after the cancellation.",
  type: 'WRITE',
  parameters: args({
    order_id: OrderId,
    reason: Type.String({ description: "The reason for cancellation, which should be either 'no longer needed' or 'ordered by mistake'." }),
  }),
  async run({ order_id, reason }, { db }) {
    const order = await lockedOrder(db, order_id)
    if (order.status !== 'pending') refuse('Non-pending order cannot be cancelled')
    if (!CANCEL_REASONS.includes(reason)) refuse('Invalid reason')
    const refunds = netPaid(order.payment_history)
    for (const refund of refunds) {
      const method = await paymentMethod(db, order.user_id, refund.payment_method_id)
      if (method.source === 'gift_card') await adjustGiftCard(db, method.id, refund.amount)
    }
    await db`update retail_orders set status = 'cancelled', cancel_reason = ${reason} where order_id = ${order_id}`
    await appendPayments(db, order_id, refunds)
    return orderDoc(db, order_id)
  },
})

/**
 * What each payment method has net paid, as refunds. With one payment (every pending order τ²-bench
 * cancels) this is τ²-bench's refund list; after a payment change it refunds the new method only, where
 * τ²-bench would refund every history entry again.
 */
function netPaid(history: Payment[]): Payment[] {
  const byMethod = new Map<string, number>()
  for (const p of history) {
    const sign = p.transaction_type === 'payment' ? 1 : -1
    byMethod.set(p.payment_method_id, (byMethod.get(p.payment_method_id) ?? 0) + sign * cents(p.amount))
  }
  return [...byMethod].filter(([, c]) => c > 0).map(([id, c]) => ({ transaction_type: 'refund', amount: dollars(c), payment_method_id: id }))
}

export const modifyPendingOrderAddress = defineTool({
  name: 'modify_pending_order_address',
  description:
    'Modify the shipping address of a pending order. The agent needs to explain the modification detail and ask for explicit user confirmation (yes/no) to proceed.',
  type: 'WRITE',
  parameters: args({ order_id: OrderId, ...AddressArgs }),
  async run(a, { db }) {
    const order = await lockedOrder(db, a.order_id)
    if (!isPending(order.status)) refuse('Non-pending order cannot be modified')
    await db`update retail_orders set address1 = ${a.address1}, address2 = ${a.address2}, city = ${a.city},
      state = ${a.state}, country = ${a.country}, zip = ${a.zip} where order_id = ${a.order_id}`
    return orderDoc(db, a.order_id)
  },
})

export const modifyPendingOrderPayment = defineTool({
  name: 'modify_pending_order_payment',
  description:
    'Modify the payment method of a pending order. The agent needs to explain the modification detail and ask for explicit user confirmation (yes/no) to proceed.',
  type: 'WRITE',
  parameters: args({ order_id: OrderId, payment_method_id: PaymentMethodId }),
  async run({ order_id, payment_method_id }, { db }) {
    const order = await lockedOrder(db, order_id)
    if (!isPending(order.status)) refuse('Non-pending order cannot be modified')
    const method = await paymentMethod(db, order.user_id, payment_method_id)
    const [first, ...rest] = order.payment_history
    if (!first || rest.length > 0 || first.transaction_type !== 'payment') refuse('There should be exactly one payment for a pending order')
    if (first.payment_method_id === payment_method_id) refuse('The new payment method should be different from the current one')
    assertCovers(method, cents(first.amount), 'Insufficient gift card balance to pay for the order')
    const old = await paymentMethod(db, order.user_id, first.payment_method_id)
    await appendPayments(db, order_id, [
      { transaction_type: 'payment', amount: first.amount, payment_method_id },
      { transaction_type: 'refund', amount: first.amount, payment_method_id: old.id },
    ])
    if (method.source === 'gift_card') await adjustGiftCard(db, method.id, -first.amount)
    if (old.source === 'gift_card') await adjustGiftCard(db, old.id, first.amount)
    return orderDoc(db, order_id)
  },
})

export const modifyPendingOrderItems = defineTool({
  name: 'modify_pending_order_items',
  description:
    'Modify items in a pending order to new items of the same product type. For a pending order, this function can only be called once. The agent needs to explain the exchange detail and ask for explicit user confirmation (yes/no) to proceed.',
  type: 'WRITE',
  parameters: args({ order_id: OrderId, item_ids: ItemIds('modified'), new_item_ids: NewItemIds('modified'), payment_method_id: PaymentMethodId }),
  async run({ order_id, item_ids, new_item_ids, payment_method_id }, { db }) {
    const order = await lockedOrder(db, order_id)
    if (order.status !== 'pending') refuse('Non-pending order cannot be modified')
    const { swaps, diffCents } = await planSwaps(db, order, item_ids, new_item_ids, true)
    const method = await paymentMethod(db, order.user_id, payment_method_id)
    assertCovers(method, diffCents, 'Insufficient gift card balance to pay for the new item')
    // A zero difference moves no money, so it leaves no zero-amount history entry.
    if (diffCents !== 0) {
      const type = diffCents > 0 ? 'payment' : 'refund'
      await appendPayments(db, order_id, [{ transaction_type: type, amount: dollars(Math.abs(diffCents)), payment_method_id }])
      if (method.source === 'gift_card') await adjustGiftCard(db, method.id, -dollars(diffCents))
    }
    await applySwaps(db, order_id, swaps)
    await db`update retail_orders set status = 'pending (item modified)' where order_id = ${order_id}`
    return orderDoc(db, order_id)
  },
})
