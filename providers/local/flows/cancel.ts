// Cancelling a pending order (retail policy): only while pending, with one of the two accepted reasons,
// the whole order, refunded to the original payment method.
import { describeItems, refundTiming } from '../replies.ts'
import type { ConversationState } from '../state.ts'
import { reply, type Step } from '../step.ts'
import { confirmWrite } from './confirm-write.ts'
import { orderTotal, originalPayment, resolveOrder, wrongStatus } from './order-lookup.ts'

export function cancelOrder(state: ConversationState): Step {
  const order = resolveOrder(state, { statuses: ['pending'], purpose: 'cancel' })
  if ('action' in order) return order
  if (order.status !== 'pending') return wrongStatus(order, 'pending', 'cancelled')
  const reason = state.entities.cancelReason
  if (!reason) {
    return reply(`Order ${order.order_id} is pending and can be cancelled. It contains: ${describeItems(order.items)}. ` +
      'Cancelling applies to the whole order. What is the reason: "no longer needed" or "ordered by mistake"?', 'need_cancel_reason')
  }
  const total = orderTotal(order)
  const paid = originalPayment(order)
  return confirmWrite(state, {
    tool: 'cancel_pending_order',
    args: { order_id: order.order_id, reason },
    details: `To confirm: cancel order ${order.order_id} (${describeItems(order.items)}), reason: ${reason}. ` +
      `The total of $${total.toFixed(2)} goes back to ${paid} ${refundTiming(paid)}.`,
  })
}
