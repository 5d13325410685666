// The order flows: status, cancellation of pending orders and returns of delivered ones, each checking
// the order's status first and asking for explicit confirmation before any write (retail policy).
import { authenticate, loadUser } from './account-flows.ts'
import { askToAuthenticate, confirmMarker, describeItems, orderStatusReply, ordersListReply, refundTiming } from './replies.ts'
import type { RetailOrder } from './retail-types.ts'
import { findOutcome, type ConversationState, type ToolOutcome } from './state.ts'
import { callTool, escalate, reply, type Step } from './step.ts'

/** Authenticates, works out which order is meant and loads it; returns a step until the order is known. */
export function resolveOrder(state: ConversationState): RetailOrder | Step {
  const auth = authenticate(state)
  if (auth) return auth
  let orderId = state.entities.orderIds[0]
  if (!orderId) {
    const load = loadUser(state)
    if (load) return load
    const user = state.user
    if (!user || user.orders.length !== 1) return reply(user ? ordersListReply(user) : askToAuthenticate, 'need_order_id')
    orderId = user.orders[0] ?? ''
  }
  const order = state.orders.get(orderId)
  if (order) {
    // Policy: one customer per conversation; another customer's order is not discussed.
    return order.user_id === state.userId ? order : reply(`Order ${orderId} is not on the account I verified, so I cannot help with it here.`, 'order_not_owned')
  }
  if (findOutcome(state, 'get_order_details', { order_id: orderId })) {
    return reply(`I could not find order ${orderId}. Could you check the order id? It looks like #W followed by 7 digits.`, 'order_not_found')
  }
  return callTool('get_order_details', { order_id: orderId }, 'load_order')
}

export function orderStatus(state: ConversationState): Step {
  const order = resolveOrder(state)
  return 'action' in order ? order : reply(orderStatusReply(order), 'order_status')
}

/** The payment method the order was paid with: the policy's default refund destination. */
export const originalPayment = (order: RetailOrder): string =>
  order.payment_history.find((p) => p.transaction_type === 'payment')?.payment_method_id ?? ''

/** Consent counts only as a "yes" answering our confirmation request for this very order. */
export function confirmed(state: ConversationState, order: RetailOrder): boolean | undefined {
  const asked = state.previousAssistantText.includes(confirmMarker) && state.previousAssistantText.includes(order.order_id)
  return asked ? state.lastEntities.affirmative : undefined
}

/** Whether a write tool already ran for this order: undefined (not yet), ok, or an escalation on failure. */
export function writeOutcome(state: ConversationState, tool: string, orderId: string): ToolOutcome | Step | undefined {
  const done = [...state.outcomes].reverse().find((o) => o.call.name === tool && o.call.arguments.order_id === orderId)
  if (!done) return undefined
  return done.ok ? done : escalate(`tool_failed:${tool}`)
}

export function cancelOrder(state: ConversationState): Step {
  const order = resolveOrder(state)
  if ('action' in order) return order
  const done = writeOutcome(state, 'cancel_pending_order', order.order_id)
  if (done && 'action' in done) return done
  const total = order.payment_history.filter((p) => p.transaction_type === 'payment').reduce((s, p) => s + p.amount, 0)
  const paid = originalPayment(order)
  if (done) {
    return reply(`Order ${order.order_id} is now cancelled. The total of $${total.toFixed(2)} will be refunded to ${paid} ${refundTiming(paid)}.`, 'cancelled')
  }
  if (order.status !== 'pending') {
    const hint = order.status === 'delivered' ? ' Since it has been delivered, you can return items instead.' : ''
    return reply(`Order ${order.order_id} is ${order.status}. Only pending orders can be cancelled, so I cannot cancel this one.${hint}`, 'not_cancellable')
  }
  const reason = state.entities.cancelReason
  const consent = confirmed(state, order)
  if (consent === false) return reply(`All right, I have not cancelled order ${order.order_id}.`, 'cancel_declined')
  if (consent && reason) return callTool('cancel_pending_order', { order_id: order.order_id, reason }, 'cancel_confirmed')
  const why = reason ? `Reason: ${reason}.` : 'Please tell me the reason: "no longer needed" or "ordered by mistake".'
  return reply(
    `Order ${order.order_id} is pending, so it can be cancelled. It contains: ${describeItems(order.items)}. ` +
      `The total of $${total.toFixed(2)} would be refunded to ${paid} ${refundTiming(paid)}. ${why} ${confirmMarker} the cancellation of ${order.order_id}.`,
    reason ? 'confirm_cancel' : 'need_cancel_reason',
  )
}
