// "Return the water bottle, and exchange the pet bed and office chair" when all three are in one delivered order:
// the tools return or exchange a delivered order only once, so only one of the two requests can be done. Before
// the first write the customer hears that, with what each would give back, and chooses; "whatever saves me the
// most" picks the larger amount.
import { extractEntities } from '../entities.ts'
import { anythingElse, choiceQuestion, describeItems } from '../replies.ts'
import type { RetailOrder } from '../retail-types.ts'
import type { ConversationState } from '../state.ts'
import { reply, type Step } from '../step.ts'
import { ruleTask } from '../task-router.ts'
import { chooseSwaps, loadProducts } from './item-change.ts'
import { namedItems } from './items.ts'

type Change = 'return' | 'exchange'

interface Option { change: Change; text: string; back: number }

const changeOf: Record<string, Change> = { 'confirm:return_delivered_order_items': 'return', 'confirm:exchange_delivered_order_items': 'exchange' }
const money = (n: number): string => `$${Math.abs(n).toFixed(2)}`

/** The other request of the message, read on its own as if it were the task in hand. */
function otherRequest(state: ConversationState, change: Change): ConversationState | undefined {
  const other = state.pendingRequests.find((r) => ruleTask(r) === (change === 'return' ? 'change_items' : 'return_order'))
  if (!other) return undefined
  return { ...state, userTexts: [other], entities: extractEntities(other), taskAnswers: [], taskAssistantTexts: [], taskOutcomes: [], pendingRequests: [] }
}

function returnOption(state: ConversationState, order: RetailOrder): Option | undefined {
  const items = namedItems(state, order)
  const back = items.reduce((s, i) => s + i.price, 0)
  return items.length > 0 ? { change: 'return', back, text: `return ${describeItems(items)}: ${money(back)} back` } : undefined
}

/** The exchange as its flow would propose it (a product look-up first when one is missing). */
function exchangeOption(state: ConversationState, order: RetailOrder): Option | Step | undefined {
  const items = namedItems(state, order)
  if (items.length === 0) return undefined
  const products = loadProducts(state, items)
  if ('action' in products) return products
  const swaps = chooseSwaps(state, order, items, products)
  if ('action' in swaps) return undefined
  const each = swaps.map((s) => `${describeItems([s.item])} → ${describeItems([{ ...s.item, item_id: s.variant.item_id, options: s.variant.options, price: s.variant.price }])}: ${s.item.price >= s.variant.price ? `${money(s.item.price - s.variant.price)} back` : `you pay ${money(s.variant.price - s.item.price)}`}`)
  const back = swaps.reduce((s, w) => s + w.item.price - w.variant.price, 0)
  const total = swaps.length > 1 ? `; ${back >= 0 ? `${money(back)} back` : `you pay ${money(back)}`} in all` : ''
  return { change: 'exchange', back, text: `exchange ${each.join('; ')}${total}` }
}

// What the customer chose: the change they name, or the one that gives more back.
function chosen(answer: string, options: Option[]): Change | undefined {
  if (/\b(?:sav\w*|back|money|refund)\b/i.test(answer) && /\b(?:most|more|bigger|larger|biggest|largest)\b/i.test(answer)) {
    return [...options].sort((a, b) => b.back - a.back)[0]?.change
  }
  const named = options.filter((o) => new RegExp(`\\b${o.change}`, 'i').test(answer))
  return named.length === 1 ? named[0]!.change : undefined
}

/**
 * The flow's proposal to return or exchange from a delivered order, unless another request of the message changes
 * the same order: then the choice between the two, and after it, the proposal chosen or the current one let go.
 */
export function deliveredOnce(state: ConversationState, step: Step): Step {
  const change = step.action === 'reply' ? changeOf[step.reason] : undefined
  const orderId = step.action === 'reply' ? [...new Set(step.text.match(/#W\d{7}/g) ?? [])] : []
  const order = orderId.length === 1 ? state.orders.get(orderId[0]!) : undefined
  const other = change ? otherRequest(state, change) : undefined
  if (!change || !order || !other || namedItems(other, order).length === 0) return step
  const mine = change === 'return' ? returnOption(state, order) : exchangeOption(state, order)
  const theirs = change === 'return' ? exchangeOption(other, order) : returnOption(other, order)
  if (theirs && 'action' in theirs) return theirs.action === 'tool_calls' ? theirs : step
  if (!mine || 'action' in mine || !theirs) return step
  const options = [mine, theirs]
  const answer = state.taskAnswers.findLast((a) => a.asked.endsWith(choiceQuestion))?.answer
  const pick = answer === undefined ? undefined : chosen(answer, options)
  if (pick === change) return step
  if (pick) return reply(`All right, I will not make the ${change} from order ${order.order_id}, so that the ${pick} can be made. ${anythingElse}`, `declined:${change}`)
  return reply(`Your requests are both about order ${order.order_id}, and a delivered order can be returned or exchanged only once, so I cannot do both: ` +
    `${options.map((o) => o.text).join('; or ')}. ${choiceQuestion}`, 'need_choice')
}
