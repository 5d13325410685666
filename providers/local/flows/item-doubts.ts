// Before a return, exchange or item change is proposed: is it certain which items the customer means? A
// singular name the order holds twice, fewer items than the customer counted, or items named in other
// orders all mean the proposal would be a guess, and a wrong write is worse than a question or a handoff.
import { describeItems } from '../replies.ts'
import type { RetailItem, RetailOrder } from '../retail-types.ts'
import type { ConversationState } from '../state.ts'
import { escalate, reply, type Step } from '../step.ts'
import { ambiguousItems, comparedPriceIn, namedElsewhere, statedCount } from './items.ts'
import { coversAll } from './order-lookup.ts'

/** A question or a handoff when the items are in doubt; undefined when the proposal can be made. */
export function itemsInDoubt(state: ConversationState, order: RetailOrder, items: RetailItem[], verb: string): Step | undefined {
  const which = ambiguousItems(state, order, items)
  if (which[0]) return reply(`Order ${order.order_id} has more than one ${which[0].name}: ${describeItems(which)}. Which one would you like to ${verb}?`, 'need_items')
  const count = statedCount(state)
  // "I received two tablets … return the more expensive one": the count is of what they have, not of what they return.
  if (count !== undefined && items.length < count && !comparedPriceIn(state.userTexts.join(' '))) {
    return reply(`You mentioned ${count} items, but in order ${order.order_id} I can only tell which ${items.length === 1 ? 'one is' : `${items.length} are`} meant: ${describeItems(items)}. ` +
      `The order contains: ${describeItems(order.items)}. Which items would you like to ${verb}?`, 'need_items')
  }
  // A request for all of something across orders is carried out order by order, each confirmed on its own.
  const elsewhere = coversAll(state) ? [] : namedElsewhere(state, order, items)
  if (elsewhere.length > 0) {
    return escalate(`pending_clarification: the request covers items in several orders (${[order.order_id, ...elsewhere.map((o) => o.order_id)].join(', ')})`)
  }
  return undefined
}
