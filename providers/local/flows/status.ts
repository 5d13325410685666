// Order status and details: what the order holds, its status, tracking and what was paid, all from
// get_order_details; "my orders" lists the account's orders from get_user_details.
import { anythingElse, orderStatusReply } from '../replies.ts'
import type { ConversationState } from '../state.ts'
import { reply, type Step } from '../step.ts'
import { loadUser } from './account.ts'
import { resolveOrder } from './order-lookup.ts'

const asksForList = (text: string): boolean => /\b(?:my|all|list)\b[^.?!]{0,12}\borders\b|\bwhich orders\b|\bhow many orders\b/i.test(text)

export function orderStatus(state: ConversationState): Step {
  if (state.entities.orderIds.length === 0 && state.userId && asksForList(state.userTexts.join(' '))) {
    const load = loadUser(state)
    if (load) return load
    const orders = state.user?.orders ?? []
    return reply(`${orders.length > 0 ? `The orders on your account are: ${orders.join(', ')}.` : 'There are no orders on your account.'} ${anythingElse}`, 'orders_listed')
  }
  const order = resolveOrder(state, { purpose: 'check' })
  return 'action' in order ? order : reply(`${orderStatusReply(order)} ${anythingElse}`, 'order_status')
}
