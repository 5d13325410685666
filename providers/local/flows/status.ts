// Order status and details: what the order holds, its status, tracking and what was paid, all from
// get_order_details; "my orders" lists the account's orders from get_user_details.
import { anythingElse, describeItems, orderStatusReply, transactions } from '../replies.ts'
import type { RetailOrder } from '../retail-types.ts'
import type { ConversationState } from '../state.ts'
import { reply, type Step } from '../step.ts'
import { loadUser } from './account.ts'
import { firstCount, namedItems } from './items.ts'
import { byStatusNamed } from './order-clues.ts'
import { resolveOrder, undated } from './order-lookup.ts'

const asksForList = (text: string): boolean => /\b(?:my|all|list)\b[^.?!]{0,12}\borders\b|\bwhich orders\b|\bhow many orders\b/i.test(text)

/**
 * "Which two t-shirts have I ordered?" when several orders hold t-shirts: the named products of each, or of the
 * orders holding as many as the customer counted.
 */
function namedAcrossOrders(state: ConversationState): string | undefined {
  if (state.entities.orderIds.length > 0) return undefined
  const holders = [...state.orders.values()].filter((o: RetailOrder) => o.user_id === state.userId && namedItems(state, o).length > 0)
  if (holders.length < 2) return undefined
  const count = firstCount(state)
  const counted = holders.filter((o) => namedItems(state, o).length === count)
  return (counted.length > 0 ? counted : holders).map((o) => `Order ${o.order_id} (${o.status}) has: ${describeItems(namedItems(state, o))}.`).join(' ')
}

/**
 * "How much did I pay for my most recent order?" when no tool result dates the orders: a question that changes
 * nothing is answered for each order it may mean (the ones in the status named), none picked by a guess.
 */
function eachUndated(state: ConversationState): Step | undefined {
  const text = state.userTexts.join(' ')
  const loaded = (state.user?.orders ?? []).flatMap((id) => state.orders.get(id) ?? [])
  if (!undated(text) || loaded.length !== state.user?.orders.length) return undefined
  const orders = byStatusNamed(text, loaded)
  // One line an order (its status, products, payments and tracking) keeps several orders within a reply's length.
  const line = (o: RetailOrder): string => {
    const tracking = o.fulfillments.flatMap((f) => f.tracking_id ?? [])
    return `Order ${o.order_id} is ${o.status} (${o.items.map((i) => i.name).join(', ')}): ${transactions(o) || 'no payments'}${tracking.length > 0 ? `; tracking ${tracking.join(', ')}` : ''}.`
  }
  return reply(`Your order records do not show when each order was placed, so here is each of them. ${orders.map(line).join(' ')} ${anythingElse}`, 'orders_undated')
}

export function orderStatus(state: ConversationState): Step {
  if (state.entities.orderIds.length === 0 && state.userId && asksForList(state.userTexts.join(' '))) {
    const load = loadUser(state)
    if (load) return load
    const orders = state.user?.orders ?? []
    return reply(`${orders.length > 0 ? `The orders on your account are: ${orders.join(', ')}.` : 'There are no orders on your account.'} ${anythingElse}`, 'orders_listed')
  }
  const order = resolveOrder(state, { purpose: 'check' })
  if ('action' in order) return order.action === 'reply' && order.reason === 'need_order_id' ? eachUndated(state) ?? order : order
  const named = namedAcrossOrders(state)
  return reply(`${named ?? orderStatusReply(order)} ${anythingElse}`, named ? 'named_items' : 'order_status')
}
