// Figures the customer asks for about what this conversation did: the total refunded by the changes made here,
// and gift card balances as they stand after them; and what they paid for a product over all their orders. Every amount is read from a tool result: a refund from the
// order a write returned, a balance from user details loaded after the last write.
import { anythingElse, describeItems, describePaymentMethod } from '../replies.ts'
import { parseOrder } from '../retail-types.ts'
import type { ConversationState, ToolOutcome } from '../state.ts'
import { callTool, reply, type Step } from '../step.ts'
import { authenticate, loadUser } from './account.ts'
import { namesProduct } from './items.ts'
import { loadEveryOrder } from './order-lookup.ts'
import { isWrite } from './write-results.ts'

/** "The total amount I can get back", "the total refund amount", "how much money I will get back". */
export const refundTotalQuestion = /\btotal (?:amount|refund|price of the refund|of (?:the |my )?refunds?)\b|\bhow much (?:money )?(?:(?:will|would|can|do) I|I (?:will|would|can)) get back\b/i
/** "How much I need to pay today in total": the price differences of the conversation's exchanges. */
export const paymentTotalQuestion = /\bhow much (?:do |will )?I (?:need to |have to )?pay\b[^.?!]*\b(?:in total|total|altogether)\b/i
/** "After the return is complete, the total amount I paid for the remaining items in the same order". */
export const remainingTotalQuestion = /\b(?:total|how much)\b[^.?!]*\b(?:paid|pay)\b[^.?!]*\bremaining items\b/i
/** "The total price for all the grills I have bought in previous orders". */
export const boughtTotalQuestion = /\btotal (?:price|cost|amount)\b[^.?!]*\b(?:bought|ordered|purchased)\b/i

/** "My gift card balance after all these changes". */
export const balanceQuestion = /\bgift card balance\b|\bbalance (?:of|on) my gift card\b/i

const asksRefundTotal = (text: string): boolean => refundTotalQuestion.test(text)
const asksBalance = (text: string): boolean => /\bbalances?\b/i.test(text)

const cents = (amount: number): number => Math.round(amount * 100)
const money = (c: number): string => `$${(c / 100).toFixed(2)}`

interface Refund { orderId: string; cents: number }

/** What one successful write refunded: a cancellation's refund entries, or the prices of the items returned. */
function refundOf(o: ToolOutcome): Refund | undefined {
  const order = parseOrder(o.content)
  if (!o.ok || !order) return undefined
  if (o.call.name === 'cancel_pending_order') {
    const refunded = order.payment_history.filter((p) => p.transaction_type === 'refund').reduce((s, p) => s + cents(p.amount), 0)
    return { orderId: order.order_id, cents: refunded }
  }
  if (o.call.name !== 'return_delivered_order_items') return undefined
  const ids = Array.isArray(o.call.arguments.item_ids) ? o.call.arguments.item_ids.map(String) : []
  const returned = ids.reduce((s, id) => s + cents(order.items.find((i) => i.item_id === id)?.price ?? 0), 0)
  return { orderId: order.order_id, cents: returned }
}

/** The refunds of this conversation's changes, each with its order, and their total. */
export function refundTotalText(state: ConversationState): string {
  const refunds = state.outcomes.flatMap((o) => refundOf(o) ?? [])
  if (refunds.length === 0) return 'No change in this conversation has refunded anything so far.'
  const total = refunds.reduce((s, r) => s + r.cents, 0)
  if (refunds.length === 1) return `The total refund is ${money(total)} (order ${refunds[0]!.orderId}).`
  return `The refunds of this conversation: ${refunds.map((r) => `${money(r.cents)} (order ${r.orderId})`).join(', ')}; ${money(total)} in total.`
}

/** What the items a return of this conversation left in its order were paid, order by order. */
export function remainingTotalText(state: ConversationState): string {
  const kept = state.outcomes.flatMap((o) => {
    const order = parseOrder(o.content)
    if (!o.ok || o.call.name !== 'return_delivered_order_items' || !order) return []
    const returned = Array.isArray(o.call.arguments.item_ids) ? o.call.arguments.item_ids.map(String) : []
    const items = order.items.filter((i) => !returned.includes(i.item_id))
    return [`order ${order.order_id}: ${money(items.reduce((sum, i) => sum + cents(i.price), 0))} for ${items.map((i) => i.name).join(', ')}`]
  })
  return kept.length > 0 ? `The items you keep cost, ${kept.join('; ')}.` : 'No return in this conversation has left items in an order so far.'
}

/** The price difference an exchange recorded on its order (positive: the customer pays). */
function differenceOf(o: ToolOutcome): Refund | undefined {
  if (!o.ok || o.call.name !== 'exchange_delivered_order_items') return undefined
  try {
    const order = JSON.parse(o.content) as { order_id?: string; exchange_price_difference?: number }
    const d = order.exchange_price_difference
    return typeof d === 'number' && order.order_id ? { orderId: order.order_id, cents: cents(d) } : undefined
  } catch {
    return undefined
  }
}

/** What the conversation's exchanges cost or give back, each with its order, and the net. */
export function paymentTotalText(state: ConversationState): string {
  const diffs = state.outcomes.flatMap((o) => differenceOf(o) ?? [])
  if (diffs.length === 0) return 'No exchange in this conversation has a price difference to pay so far.'
  const said = (c: number): string => (c >= 0 ? `${money(c)} to pay` : `${money(-c)} back`)
  const net = diffs.reduce((s, d) => s + d.cents, 0)
  return `The price differences of this conversation's exchanges: ${diffs.map((d) => `${said(d.cents)} (order ${d.orderId})`).join(', ')}; ${said(net)} in total.`
}

/** A finished task's closing line, with the refund total when the request asked for it ("…and how much I get back"). */
export function withRefundTotal(state: ConversationState, step: Step): Step {
  if (step.action !== 'reply' || step.reason !== 'done' || !asksRefundTotal(state.userTexts.join(' '))) return step
  return reply(step.text.replace(anythingElse, `${refundTotalText(state)} ${anythingElse}`), step.reason)
}

/** User details loaded after the conversation's last write, or the call that loads them. */
function freshUser(state: ConversationState, userId: string): Step | undefined {
  const lastWrite = state.outcomes.findLastIndex((o) => o.ok && isWrite(o.call.name))
  const lastLoad = state.outcomes.findLastIndex((o) => o.ok && o.call.name === 'get_user_details')
  return lastLoad > lastWrite && state.user ? undefined : callTool('get_user_details', { user_id: userId }, 'load_user_after_changes')
}

/** What the customer paid for each item of the products they name, across their orders (cancelled ones were not bought), and the sum. */
function boughtTotal(state: ConversationState, text: string): Step {
  const load = loadUser(state) ?? loadEveryOrder(state)
  if (load) return load
  const items = (state.user?.orders ?? []).flatMap((id) => state.orders.get(id) ?? []).filter((o) => o.status !== 'cancelled')
    .flatMap((o) => o.items.filter((i) => namesProduct(text, i.name)).map((i) => ({ order: o.order_id, item: i })))
  if (items.length === 0) return reply(`I found no item of that kind in your orders. ${anythingElse}`, 'bought_total')
  const total = items.reduce((s, i) => s + cents(i.item.price), 0)
  const listed = items.map(({ order, item }) => `${describeItems([item])} (order ${order})`).join('; ')
  return reply(`You bought: ${listed}. That is ${money(total)} in total. ${anythingElse}`, 'bought_total')
}

export function accountFigures(state: ConversationState): Step {
  const auth = authenticate(state)
  if (auth) return auth
  const text = state.userTexts.join(' ')
  if (boughtTotalQuestion.test(text)) return boughtTotal(state, text)
  if (remainingTotalQuestion.test(text)) return reply(`${remainingTotalText(state)} ${anythingElse}`, 'remaining_total')
  if (paymentTotalQuestion.test(text)) return reply(`${paymentTotalText(state)} ${anythingElse}`, 'payment_total')
  if (!asksBalance(text)) return reply(`${refundTotalText(state)} ${anythingElse}`, 'refund_total')
  const load = freshUser(state, state.userId!)
  if (load) return load
  const methods = Object.entries(state.user!.payment_methods).filter(([, m]) => m.source === 'gift_card')
  const said = methods.map(([id, m]) => describePaymentMethod(id, m)).join(', ')
  return reply(`${said ? `Your balance now: ${said}.` : 'There is no gift card on your account.'} ${anythingElse}`, 'balance')
}
