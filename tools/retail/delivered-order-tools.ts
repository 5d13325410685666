// The WRITE tools on delivered orders: request a return or an exchange. Both only record the request
// (status, items, the payment method to settle with); money moves when the items come back.
import { defineTool } from '../define.ts'
import { assertCovers, planSwaps } from './item-swaps.ts'
import { args, ItemIds, NewItemIds, OrderId, PaymentMethodId } from './params.ts'
import { assertItemsInOrder, dollars, lockedOrder, orderDoc, paymentMethod, refuse } from './store.ts'

export const returnDeliveredOrderItems = defineTool({
  name: 'return_delivered_order_items',
  description:
    "Return some items of a delivered order. The order status will be changed to 'return requested'. The agent needs to explain the return detail and ask for explicit user confirmation (yes/no) to proceed. The user will receive follow-up email for how and where to return the item.",
  type: 'WRITE',
  parameters: args({ order_id: OrderId, item_ids: ItemIds('returned'), payment_method_id: PaymentMethodId }),
  async run({ order_id, item_ids, payment_method_id }, { db }) {
    const order = await lockedOrder(db, order_id)
    if (order.status !== 'delivered') refuse('Non-delivered order cannot be returned')
    const method = await paymentMethod(db, order.user_id, payment_method_id)
    // The refund goes to the original payment method or to one of the user's gift cards, nowhere else.
    if (method.source !== 'gift_card' && payment_method_id !== order.payment_history[0]?.payment_method_id) {
      refuse('Payment method should be the original payment method')
    }
    assertItemsInOrder(order, item_ids, () => 'Some item not found')
    await db`update retail_orders set status = 'return requested', return_items = ${[...item_ids].sort()}::text[],
      return_payment_method_id = ${payment_method_id} where order_id = ${order_id}`
    return orderDoc(db, order_id)
  },
})

export const exchangeDeliveredOrderItems = defineTool({
  name: 'exchange_delivered_order_items',
  description:
    'Exchange items in a delivered order to new items of the same product type. For a delivered order, return or exchange can be only done once by the agent. The agent needs to explain the exchange detail and ask for explicit user confirmation (yes/no) to proceed.',
  type: 'WRITE',
  parameters: args({ order_id: OrderId, item_ids: ItemIds('exchanged'), new_item_ids: NewItemIds('exchanged'), payment_method_id: PaymentMethodId }),
  async run({ order_id, item_ids, new_item_ids, payment_method_id }, { db }) {
    const order = await lockedOrder(db, order_id)
    if (order.status !== 'delivered') refuse('Non-delivered order cannot be exchanged')
    const { diffCents } = await planSwaps(db, order, item_ids, new_item_ids, false)
    const method = await paymentMethod(db, order.user_id, payment_method_id)
    assertCovers(method, diffCents, 'Insufficient gift card balance to pay for the price difference')
    await db`update retail_orders set status = 'exchange requested', exchange_items = ${[...item_ids].sort()}::text[],
      exchange_new_items = ${[...new_item_ids].sort()}::text[], exchange_payment_method_id = ${payment_method_id},
      exchange_price_difference = ${dollars(diffCents)} where order_id = ${order_id}`
    return orderDoc(db, order_id)
  },
})
