// Returns of delivered orders (retail policy): check the status, settle the items and the refund
// destination (the original payment method or an existing gift card), confirm, then request the return.
import { describeItems, describePaymentMethod } from '../replies.ts'
import type { RetailOrder, RetailUser } from '../retail-types.ts'
import type { ConversationState } from '../state.ts'
import { reply, type Step } from '../step.ts'
import { loadUser } from './account.ts'
import { confirmWrite } from './confirm-write.ts'
import { itemsInDoubt } from './item-doubts.ts'
import { holdsNamedItems, namedItems } from './items.ts'
import { originalPayment, resolveOrder, wrongStatus } from './order-lookup.ts'
import { methodChoices, namedPaymentMethod } from './payment-methods.ts'

// "Refund each order to the other order's payment method": a destination the policy does not allow, which is
// said, never replaced by the original method unasked. The latest word on it counts ("…then the original one").
const otherDestination = /\brefund\w*\b[^.?!]*\bto (?:the |my )?(?:other|another|different)\b/i
const originalDestination = /\boriginal (?:payment )?method\b|\boriginal payment\b/i

/** The refund destination: the original payment method unless the customer named one of their gift cards. */
function refundMethod(state: ConversationState, order: RetailOrder, user: RetailUser): string | Step {
  const original = originalPayment(order)
  const named = namedPaymentMethod(state, user)
  const giftCards = Object.keys(user.payment_methods).filter((id) => user.payment_methods[id]?.source === 'gift_card')
  const allowed = [original, ...giftCards.filter((id) => id !== original)]
  const latest = [...state.userTexts].reverse().find((t) => otherDestination.test(t) || originalDestination.test(t))
  if (!named && latest && !originalDestination.test(latest)) {
    return reply(`I cannot refund an order to another order's payment method: a refund can only go to the original payment method or one of your gift cards: ${methodChoices(user, allowed)}. Which would you like?`, 'need_refund_method')
  }
  if (!named) return original
  if ('id' in named && allowed.includes(named.id)) return named.id
  return reply(`I cannot refund order ${order.order_id} to that payment method: a refund can only go to the original payment method or one of your gift cards: ${methodChoices(user, allowed)}. Which would you like?`, 'need_refund_method')
}

export function returnOrder(state: ConversationState): Step {
  const order = resolveOrder(state, { statuses: ['delivered'], fits: holdsNamedItems(state), purpose: 'return items from' })
  if ('action' in order) return order
  if (order.status !== 'delivered') return wrongStatus(order, 'delivered', 'returned')
  const items = namedItems(state, order)
  if (items.length === 0) {
    return reply(`Order ${order.order_id} was delivered and contains: ${describeItems(order.items)}. Which items would you like to return?`, 'need_items')
  }
  const doubt = itemsInDoubt(state, order, items, 'return')
  if (doubt) return doubt
  const load = loadUser(state)
  if (load) return load
  const user = state.user
  if (!user) return reply('I could not load your account details just now.', 'user_lookup_failed')
  const method = refundMethod(state, order, user)
  if (typeof method !== 'string') return method
  const refund = items.reduce((s, i) => s + i.price, 0)
  return confirmWrite(state, {
    tool: 'return_delivered_order_items',
    args: { order_id: order.order_id, item_ids: items.map((i) => i.item_id), payment_method_id: method },
    details: `To confirm, return from order ${order.order_id}: ${describeItems(items)}. ` +
      `The refund of $${refund.toFixed(2)} goes to ${describePaymentMethod(method, user.payment_methods[method])}. ` +
      'Please make sure these are all the items you want to return from this order.',
  })
}
