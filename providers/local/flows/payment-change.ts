// Paying for a pending order with another payment method on the profile (retail policy): a single method,
// different from the original, and a gift card only when its balance covers the order's total.
import { anythingElse, describePaymentMethod, refundTiming } from '../replies.ts'
import type { ConversationState } from '../state.ts'
import { reply, type Step } from '../step.ts'
import { loadUser } from './account.ts'
import { confirmWrite } from './confirm-write.ts'
import { orderTotal, originalPayment, resolveOrder, wrongStatus } from './order-lookup.ts'
import { methodChoices, namedPaymentMethod } from './payment-methods.ts'

export function changePayment(state: ConversationState): Step {
  const order = resolveOrder(state, { statuses: ['pending', 'pending (item modified)'], purpose: 'pay differently for' })
  if ('action' in order) return order
  if (!order.status.startsWith('pending')) return wrongStatus(order, 'pending', 'paid with another method')
  if (/\bsplit\b/i.test(state.userTexts.join(' '))) {
    return reply(`I cannot split the payment of order ${order.order_id}: an order is paid with one payment method only. ${anythingElse}`, 'split_payment')
  }
  const load = loadUser(state)
  if (load) return load
  const user = state.user
  if (!user) return reply('I could not load your account details just now.', 'user_lookup_failed')
  const original = originalPayment(order)
  const others = Object.keys(user.payment_methods).filter((id) => id !== original)
  const named = namedPaymentMethod(state, user)
  const total = orderTotal(order)
  if (!named || !('id' in named) || named.id === original) {
    const intro = named && 'id' in named ? `Order ${order.order_id} is already paid with ${named.id}.` : `Order ${order.order_id} is paid with ${describePaymentMethod(original, user.payment_methods[original])}.`
    return reply(`${intro} Which payment method would you like to use instead? ${others.length > 0 ? methodChoices(user, others) : 'There is no other method on your profile.'}`, 'need_payment_method')
  }
  const method = user.payment_methods[named.id]
  if (method?.source === 'gift_card' && (method.balance ?? 0) < total) {
    return reply(`Gift card ${named.id} has a balance of $${(method.balance ?? 0).toFixed(2)}, less than the order total of $${total.toFixed(2)}. Which other payment method would you like? ${methodChoices(user, others)}`, 'need_payment_method')
  }
  return confirmWrite(state, {
    tool: 'modify_pending_order_payment',
    args: { order_id: order.order_id, payment_method_id: named.id },
    details: `To confirm, pay for order ${order.order_id} ($${total.toFixed(2)}) with ${describePaymentMethod(named.id, method)} instead of ${original}, ` +
      `which is refunded ${refundTiming(original)}.`,
  })
}
