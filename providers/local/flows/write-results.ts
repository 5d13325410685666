// What the customer hears once a write tool succeeded: read from the call's arguments and the order or
// user the tool returned, never assumed. The reply closes the task, so the next message starts afresh.
import { anythingElse, formatAddress, refundTiming } from '../replies.ts'
import { parseOrder, parseUser } from '../retail-types.ts'
import type { ConversationState, ToolOutcome } from '../state.ts'
import { reply, type Step } from '../step.ts'

const list = (v: unknown): string => (Array.isArray(v) ? v.map(String).join(', ') : String(v))
const money = (n: number): string => `$${Math.abs(n).toFixed(2)}`

function resultText(o: ToolOutcome): string {
  const a = o.call.arguments
  const order = parseOrder(o.content)
  const id = String(a.order_id ?? order?.order_id ?? '')
  switch (o.call.name) {
    case 'cancel_pending_order': {
      const refunds = (order?.payment_history ?? []).filter((p) => p.transaction_type === 'refund')
      const back = refunds.map((r) => `${money(r.amount)} to ${r.payment_method_id} ${refundTiming(r.payment_method_id)}`).join(', ')
      return `Order ${id} is now ${order?.status ?? 'cancelled'}.${back ? ` The refund: ${back}.` : ''}`
    }
    case 'return_delivered_order_items':
      return `The return of item(s) ${list(a.item_ids)} from order ${id} is requested (status: ${order?.status ?? 'return requested'}), ` +
        `with the refund going to ${String(a.payment_method_id)}. You will be sent instructions on how to send the items back.`
    case 'exchange_delivered_order_items':
      return `The exchange of item(s) ${list(a.item_ids)} for ${list(a.new_item_ids)} in order ${id} is requested (status: ${order?.status ?? 'exchange requested'}), ` +
        `with any price difference settled through ${String(a.payment_method_id)}. You will be sent instructions on how to send the items back; no new order is needed.`
    case 'modify_pending_order_items':
      return `Order ${id} now has item(s) ${list(a.new_item_ids)} instead of ${list(a.item_ids)} (status: ${order?.status ?? 'pending (item modified)'}), ` +
        `with the price difference settled through ${String(a.payment_method_id)}.`
    case 'modify_pending_order_address':
      return `Order ${id} will now ship to ${order?.address ? formatAddress(order.address) : 'the new address'}.`
    case 'modify_pending_order_payment':
      return `Order ${id} is now paid with ${String(a.payment_method_id)}; the original payment is refunded to its method.`
    case 'modify_user_address': {
      const user = parseUser(o.content)
      return `Your default address is now ${user ? formatAddress(user.address) : 'updated'}.`
    }
    default:
      return `Done: ${o.call.name}.`
  }
}

const writes = new Set(['cancel_pending_order', 'return_delivered_order_items', 'exchange_delivered_order_items', 'modify_pending_order_items',
  'modify_pending_order_address', 'modify_pending_order_payment', 'modify_user_address'])

/** Whether a tool changes the retail database. */
export const isWrite = (tool: string): boolean => writes.has(tool)

/** What the writes that succeeded in this turn did, to open the turn's reply with. */
export function writesThisTurn(state: ConversationState): string[] {
  const recent = state.callsThisTurn > 0 ? state.taskOutcomes.slice(-state.callsThisTurn) : []
  return recent.filter((o) => o.ok && writes.has(o.call.name)).map(resultText)
}

/**
 * The task's next step once a write of it succeeded in this turn. A request for all of something ("cancel all
 * my pending orders") goes on with the next order (a look-up or its confirmation) after the result; anything
 * else closes the task with the result.
 */
export function afterWrites(done: string[], next: Step, coversAll: boolean): Step {
  if (done.length === 0) return next
  if (!coversAll) return reply(`${done.join(' ')} ${anythingElse}`, 'done')
  if (next.action === 'tool_calls') return next
  const more = next.action === 'reply' && next.reason.startsWith('confirm:')
  return reply(`${done.join(' ')} ${more ? next.text : anythingElse}`, more ? next.reason : 'done')
}
