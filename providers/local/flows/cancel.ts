// Cancelling a pending order (retail policy): only while pending, with one of the two accepted reasons,
// the whole order, refunded to the original payment method.
import { describeItems, refundTiming } from '../replies.ts'
import type { ConversationState } from '../state.ts'
import { reply, type Step } from '../step.ts'
import { confirmWrite } from './confirm-write.ts'
import { orderTotal, originalPayment, resolveOrder, wrongStatus } from './order-lookup.ts'

// "Remove the jacket from my order", "cancel it from my order": the customer asked for less than the whole order.
const removesItem = /\bremov(?:e|ing)\b|\bcancel\b[^.?!]{0,30}\bfrom\b[^.?!]{0,20}\border\b/i

export function cancelOrder(state: ConversationState): Step {
  const order = resolveOrder(state, { statuses: ['pending'], purpose: 'cancel' })
  if ('action' in order) return order
  if (order.status !== 'pending') return wrongStatus(order, 'pending', 'cancelled')
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
