// Returns of delivered orders (retail policy): check the status, settle the items and the refund
// destination (the original payment method or an existing gift card), confirm, then request the return.
import { resolveOrder, confirmed, originalPayment, writeOutcome } from './order-flows.ts'
import { loadUser } from './account-flows.ts'
import { confirmMarker, describeItems, describePaymentMethod } from './replies.ts'
import type { RetailOrder } from './retail-types.ts'
import type { ConversationState } from './state.ts'
import { callTool, reply, type Step } from './step.ts'

// Item ids the customer named that belong to this order; none named means the whole order.
function selectedItems(state: ConversationState, order: RetailOrder): RetailOrder['items'] {
  const named = order.items.filter((i) => state.entities.itemIds.includes(i.item_id))
  return named.length > 0 ? named : order.items
}

/** The refund destination, or a step when a named method is not allowed or must be looked up. */
function refundMethod(state: ConversationState, order: RetailOrder): string | Step {
  const original = originalPayment(order)
  const named = state.entities.paymentMethodIds[0]
  if (!named || named === original) return original
  if (!named.startsWith('gift_card_')) {
    return reply(`Refunds can only go to the original payment method (${original}) or an existing gift card. Which would you like?`, 'refund_method_not_allowed')
  }
  const load = loadUser(state)
  if (load) return load
  return state.user?.payment_methods[named] ? named : reply(`I could not find gift card ${named} on your account. Refunds can go to ${original} or one of your gift cards.`, 'unknown_gift_card')
}

// A "yes" counts only if the customer did not change the items or the refund method in the same message.
const changedSelection = (state: ConversationState): boolean =>
  state.lastEntities.itemIds.length > 0 || state.lastEntities.paymentMethodIds.length > 0

export function returnOrder(state: ConversationState): Step {
  const order = resolveOrder(state)
  if ('action' in order) return order
  const done = writeOutcome(state, 'return_delivered_order_items', order.order_id)
  if (done && 'action' in done) return done
  if (done) {
    const { item_ids: ids, payment_method_id: to } = done.call.arguments
    return reply(
      `The return of item${Array.isArray(ids) && ids.length === 1 ? '' : 's'} ${Array.isArray(ids) ? ids.join(', ') : ''} from order ${order.order_id} is requested, ` +
        `with the refund going to ${String(to)}. You will receive an email explaining how to send the items back.`,
      'return_requested',
    )
  }
  if (order.status !== 'delivered') {
    const hint = order.status === 'pending' ? ' As it is still pending, it can be cancelled instead.' : ''
    return reply(`Order ${order.order_id} is ${order.status}. Only delivered orders can be returned.${hint}`, 'not_returnable')
  }
  const method = refundMethod(state, order)
  if (typeof method !== 'string') return method
  const items = selectedItems(state, order)
  const consent = changedSelection(state) ? undefined : confirmed(state, order)
  if (consent === false) return reply(`All right, I have not started a return for order ${order.order_id}.`, 'return_declined')
  if (consent) {
    return callTool('return_delivered_order_items', { order_id: order.order_id, item_ids: items.map((i) => i.item_id), payment_method_id: method }, 'return_confirmed')
  }
  const refund = items.reduce((s, i) => s + i.price, 0)
  return reply(
    `Order ${order.order_id} was delivered, so it can be returned. Items to return: ${describeItems(items)}. ` +
      `The refund of $${refund.toFixed(2)} would go to ${describePaymentMethod(method, state.user?.payment_methods[method])}. ` +
      `You can name specific item ids, or another gift card for the refund. ${confirmMarker} the return of these items from ${order.order_id}.`,
    'confirm_return',
  )
}
