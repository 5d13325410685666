// Order status and details: what the order holds, its status, tracking and what was paid, all from
// get_order_details; "my orders" lists the account's orders from get_user_details.
import { anythingElse, describeItems, orderStatusReply } from '../replies.ts'
import type { RetailOrder } from '../retail-types.ts'
import type { ConversationState } from '../state.ts'
import { reply, type Step } from '../step.ts'
import { loadUser } from './account.ts'
import { namedItems, statedCount } from './items.ts'
import { resolveOrder } from './order-lookup.ts'

const asksForList = (text: string): boolean => /\b(?:my|all|list)\b[^.?!]{0,12}\borders\b|\bwhich orders\b|\bhow many orders\b/i.test(text)

/**
 * "Which two t-shirts have I ordered?" when several orders hold t-shirts: the named products of each, or of the
 * orders holding as many as the customer counted.
 */
function namedAcrossOrders(state: ConversationState): string | undefined {
  if (state.entities.orderIds.length > 0) return undefined
  const holders = [...state.orders.values()].filter((o: RetailOrder) => o.user_id === state.userId && namedItems(state, o).length > 0)
  if (holders.length < 2) return undefined
  const count = statedCount(state)
  const counted = holders.filter((o) => namedItems(state, o).length === count)
  return (counted.length > 0 ? counted : holders).map((o) => `Order ${o.order_id} (${o.status}) has: ${describeItems(namedItems(state, o))}.`).join(' ')
}

export function orderStatus(state: ConversationState): Step {
  if (state.entities.orderIds.length === 0 && state.userId && asksForList(state.userTexts.join(' '))) {
    const load = loadUser(state)
    if (load) return load
    const orders = state.user?.orders ?? []
    return reply(`${orders.length > 0 ? `The orders on your account are: ${orders.join(', ')}.` : 'There are no orders on your account.'} ${anythingElse}`, 'orders_listed')
  }
  const order = resolveOrder(state, { purpose: 'check' })
  if ('action' in order) return order
  const named = namedAcrossOrders(state)
  return reply(`${named ?? orderStatusReply(order)} ${anythingElse}`, named ? 'named_items' : 'order_status')
}
