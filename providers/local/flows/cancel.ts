// Cancelling a pending order (retail policy): only while pending, with one of the two accepted reasons,
// the whole order, refunded to the original payment method.
import { describeItems, refusalOffer, refundTiming } from '../replies.ts'
import type { RetailOrder } from '../retail-types.ts'
import type { ConversationState } from '../state.ts'
import { reply, type Step } from '../step.ts'
import { confirmWrite } from './confirm-write.ts'
import { offerTaken, orderTotal, originalPayment, resolveOrder, wrongStatus } from './order-lookup.ts'

// "Remove the jacket from my order", "cancel it from my order": the customer asked for less than the whole order.
const removesItem = /\bremov(?:e|ing)\b|\bcancel\b[^.?!]{0,30}\bfrom\b[^.?!]{0,20}\border\b/i

// "Can I just cancel that item?", "cancel the boot and keep the kettle": a wish to cancel part of an order, which
// is said to be impossible rather than turned into cancelling all of it.
const partOfOrder = /\b(?:just|only) cancel (?:that|this|the|one|a single|an?) (?:item|one|product)\b|\bcancel (?:that|this|one|a single) item\b|\bcancel\b[^.?!]*\band keep the\b/i

function partialCancellation(state: ConversationState, order: RetailOrder): Step | undefined {
  const text = state.userTexts.join(' ')
  if (offerTaken(state) === order.order_id || !partOfOrder.test(text) || order.items.length < 2) return undefined
  const dearest = [...order.items].sort((a, b) => b.price - a.price)[0]!
  const asked = /\bmost expensive\b/i.test(text) ? ` The most expensive item in it is ${describeItems([dearest])}.` : ''
  return reply(`I cannot cancel a single item: cancelling applies to the whole order ${order.order_id}, which contains ${describeItems(order.items)}.${asked} ` +
    refusalOffer, 'need_whole_order')
}

export function cancelOrder(state: ConversationState): Step {
  const order = resolveOrder(state, { statuses: ['pending'], purpose: 'cancel' })
  if ('action' in order) return order
  if (order.status !== 'pending') return wrongStatus(order, 'pending', 'cancelled')
  const partial = partialCancellation(state, order)
  if (partial) return partial
  const whole = order.items.length > 1 && state.userTexts.some((t) => removesItem.test(t))
    ? 'A single item cannot be removed from an order: only the whole order can be cancelled. '
    : ''
  const reason = state.entities.cancelReason
  if (!reason) {
    return reply(`${whole}Order ${order.order_id} is pending and can be cancelled. It contains: ${describeItems(order.items)}. ` +
      'Cancelling applies to the whole order. What is the reason: "no longer needed" or "ordered by mistake"?', 'need_cancel_reason')
  }
  const total = orderTotal(order)
  const paid = originalPayment(order)
  return confirmWrite(state, {
    tool: 'cancel_pending_order',
    args: { order_id: order.order_id, reason },
    details: `${whole}To confirm: cancel order ${order.order_id} (${describeItems(order.items)}), reason: ${reason}. ` +
      `The total of $${total.toFixed(2)} goes back to ${paid} ${refundTiming(paid)}.`,
  })
}
