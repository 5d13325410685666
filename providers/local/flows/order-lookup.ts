// Which order the customer means, loaded from the tools: the id they gave (the latest one, or "the
// other" one when they correct us), "it" for the order of the previous request, or the only order on
// the account that fits the request (its status, the items named). Never another customer's order.
import { anythingElse, askToAuthenticate, confirmMarker, describeItems, refusalOffer } from '../replies.ts'
import type { RetailOrder } from '../retail-types.ts'
import { extractEntities } from '../entities.ts'
import { findOutcome, type ConversationState } from '../state.ts'
import { callTool, reply, type Step } from '../step.ts'
import { authenticate, loadUser } from './account.ts'
import { byComparedPrice, comparedPriceIn, countedAcrossOrders, holdsNamedItems, namedItems, namesProduct } from './items.ts'
import { byAddressNamed, byStatusNamed, describedItems, keepFitting, statusNamed } from './order-clues.ts'
import { withoutVariantElsewhere } from './variant-elsewhere.ts'

export interface OrderWanted {
  /** Statuses the request can act on, e.g. ['pending'] for a cancellation; all when absent. */
  statuses?: string[]
  /** Whether an order holds what the customer named (items, products). */
  fits?: (order: RetailOrder) => boolean
  /** Orders that are only a reference in this request ("the same address as order #W…"). */
  exclude?: string[]
  /** What the request is, for the question "which order…". */
  purpose: string
}


// "Cancel it" or "return the item" in a short follow-up, or "that order", "the whole order": the order of the request just finished.
const mentionsIt = (text: string): boolean => /\b(that|this|the same|the whole|the entire) order\b/i.test(text) ||
  (text.split(/\s+/).length <= 8 && /\b(it|(?:the|that|this) item)\b/i.test(text))
const saysOther = (text: string): boolean => /\b(the other|another|different|wrong) (one|order)\b|\bnot (that|this) (one|order)\b/i.test(text)

// "No, the other order": the order we just proposed is not the one, whatever else was said before.
function rejectedOrder(state: ConversationState): string | undefined {
  if (state.lastEntities.orderIds.length > 0 || !saysOther(state.lastUserText)) return undefined
  return /#W\d{7}/.exec(state.previousAssistantText)?.[0]
}

// A yes to a proposal naming one order settles which order it is.
function confirmedOrder(state: ConversationState): string | undefined {
  if (state.lastEntities.affirmative !== true || !state.previousAssistantText.includes(confirmMarker)) return undefined
  // Once that proposal was carried out in this turn, the yes has been used.
  if (state.taskOutcomes.slice(state.taskOutcomes.length - state.callsThisTurn).some((o) => o.ok && 'order_id' in o.call.arguments && o.call.name !== 'get_order_details')) return undefined
  const ids = [...new Set(state.previousAssistantText.match(/#W\d{7}/g) ?? [])]
  return ids.length === 1 ? ids[0] : undefined
}

/** The order of a refusal whose alternative the customer took in this task ("Yes, cancel the whole order"). */
export function offerTaken(state: ConversationState): string | undefined {
  const taken = state.taskAnswers.findLast((a) => a.asked.endsWith(refusalOffer) && extractEntities(a.answer).affirmative === true)
  const ids = [...new Set(taken?.asked.match(/#W\d{7}/g) ?? [])]
  return ids.length === 1 ? ids[0] : undefined
}

// "Return everything on that order", answering the agent's message about one order.
function thatOrder(state: ConversationState): string | undefined {
  if (!/\b(?:that|this|the same) order\b/i.test(state.lastUserText)) return undefined
  const ids = [...new Set(state.previousAssistantText.match(/#W\d{7}/g) ?? [])]
  return ids.length === 1 ? ids[0] : undefined
}

// "Cancel the boot … do not do anything on that order": "that order" is the boot's, not one holding no boot.
function holdsWhatIsNamed(state: ConversationState, orderId: string): boolean {
  const order = state.orders.get(orderId)
  const holders = [...state.orders.values()].filter((o) => o.user_id === state.userId && holdsNamedItems(state)(o))
  return !order || holders.length === 0 || holders.includes(order)
}

// "I change my mind to PayPal, and only modify the backpack", said to a proposal about one order: the revision is of that order.
function revisedOrder(state: ConversationState): string | undefined {
  if (state.lastEntities.affirmative !== undefined || !state.previousAssistantText.includes(confirmMarker)) return undefined
  const ids = [...new Set(state.previousAssistantText.match(/#W\d{7}/g) ?? [])]
  return ids.length === 1 && ids[0] && state.orders.get(ids[0])?.items.some((i) => namesProduct(state.lastUserText, i.name)) ? ids[0] : undefined
}

function namedOrderId(state: ConversationState, want: OrderWanted): string | undefined {
  const confirmed = confirmedOrder(state) ?? offerTaken(state) ?? [thatOrder(state), revisedOrder(state)].find((id) => id && holdsWhatIsNamed(state, id))
  if (confirmed && !(want.exclude ?? []).includes(confirmed)) return confirmed
  const rejected = rejectedOrder(state)
  const ids = state.entities.orderIds.filter((id) => !(want.exclude ?? []).includes(id) && id !== rejected)
  if (rejected) return ids[0]
  if (ids[0]) return ids[0]
  const previous = state.previousOrderId
  const first = state.userTexts[0] ?? ''
  // "Return the item" naming no product: the item of the order just spoken about, whatever other orders hold.
  const namesNone = ![...state.orders.values()].some((o) => o.items.some((i) => namesProduct(first, i.name)))
  return previous && mentionsIt(first) && (namesNone || holdsWhatIsNamed(state, previous)) ? previous : undefined
}

/** Loads an order by id and checks it is the customer's; a Step until it is known. */
export function loadOrder(state: ConversationState, orderId: string): RetailOrder | Step {
  const order = state.orders.get(orderId)
  if (order) {
    // Policy: one customer per conversation; another customer's order is not discussed.
    return order.user_id === state.userId ? order : reply(`Order ${orderId} is not on the account I verified, so I cannot help with it here.`, 'order_not_owned')
  }
  if (findOutcome(state, 'get_order_details', { order_id: orderId })) {
    return reply(`I could not find order ${orderId} on your account. Could you check the order id? It looks like #W followed by 7 digits.`, 'need_valid_order_id')
  }
  return callTool('get_order_details', { order_id: orderId }, 'load_order')
}

const fitsWanted = (order: RetailOrder, want: OrderWanted): boolean =>
  (!want.statuses || want.statuses.includes(order.status)) && (!want.fits || want.fits(order))

function describeOrder(order: RetailOrder): string {
  return `${order.order_id} (${order.status}: ${order.items.map((i) => i.name).join(', ')})`
}

/**
 * "The skateboard, garden hose and keyboard" when they sit in different orders of the same status: each
 * product named is in exactly one order of that status (a request acts on one status, so a delivered and a
 * pending garden hose are told apart by it), so which order each item belongs to is no guess. A product
 * in two orders of a status, or "everything", is not split this way (the customer says which).
 */
function namedAcrossOrders(state: ConversationState): boolean {
  if (state.entities.allItems || /\bsame order\b/i.test(state.userTexts.join(' '))) return false
  // An order this task already changed is counted in the status it had: its bookshelf still makes "the
  // bookshelf" ambiguous with another delivered order's.
  const changed = new Set(state.taskOutcomes.filter((o) => o.ok && o.call.name !== 'get_order_details').map((o) => o.call.arguments.order_id))
  const statusBefore = (o: RetailOrder): string => (changed.has(o.order_id) ? o.status.replace(/^(return|exchange) requested$/, 'delivered').replace(/^pending.*$|^cancelled$/, 'pending') : o.status)
  // "The pending boots" leaves the delivered boots out of the request.
  const said = statusNamed(withoutVariantElsewhere(state.userTexts.join(' ')))
  const holding = [...state.orders.values()].filter((o) => o.user_id === state.userId && (!said || said(statusBefore(o))) && holdsNamedItems(state)(o))
  const orderOf = new Map<string, string>()
  for (const o of holding) {
    for (const i of namedItems(state, o)) {
      const key = `${statusBefore(o)}/${i.product_id}`
      if ((orderOf.get(key) ?? o.order_id) !== o.order_id) return false
      orderOf.set(key, o.order_id)
    }
  }
  return holding.length >= 2
}

/**
 * "All my pending orders", "both", or items named across orders: the request covers every order that fits,
 * taken one at a time, each proposal confirmed on its own.
 */
export const coversAll = (state: ConversationState): boolean => /\b(all|every|each|both)\b/i.test(state.userTexts.join(' ')) || namedAcrossOrders(state) || countedAcrossOrders(state)

// "The more expensive one" of the tablets two orders hold: the orders holding an item the customer described.
function holdsDescribed(state: ConversationState, orders: RetailOrder[]): (order: RetailOrder) => boolean {
  const named = orders.flatMap((o) => namedItems(state, o))
  const products = [...new Set(named.map((i) => i.product_id))]
  const described = new Set(products.flatMap((p) => describedItems(state, named.filter((i) => i.product_id === p))))
  return (order) => namedItems(state, order).some((i) => described.has(i))
}

/**
 * Of several orders that fit, the ones the customer's words single out: the status they name ("my pending
 * boots", "the tablet I received", "my cancelled order"), where it was sent ("to my son's address"), the
 * products they name and which of them ("the 15-inch one"), "in the same order". Not "the one I placed most
 * recently": no tool result dates an order (see `undated`).
 */
function narrow(state: ConversationState, orders: RetailOrder[]): RetailOrder[] {
  const text = withoutVariantElsewhere(state.userTexts.join(' '))
  let left = byAddressNamed(text, byStatusNamed(text, orders), state.user?.address)
  left = keepFitting(left, holdsNamedItems(state))
  left = keepFitting(left, holdsDescribed(state, left))
  // "Also adjust the desk lamp and the backpack" right after a request about the one order holding both: that order.
  const products = (o: RetailOrder): number => new Set(namedItems(state, o).map((i) => i.product_id)).size
  const previous = left.find((o) => o.order_id === state.previousOrderId)
  if (previous && products(previous) >= 2 && left.every((o) => o === previous || products(o) < products(previous))) left = [previous]
  if (left.length > 1 && /\bsame order\b/i.test(text)) {
    const count = (o: RetailOrder): number => new Set(namedItems(state, o).map((i) => i.product_id)).size
    const most = Math.max(...left.map(count))
    left = left.filter((o) => count(o) === most)
  }
  // "The more expensive one" of two tablets in two orders: the order holding the one it picks.
  if (left.length > 1 && comparedPriceIn(text)) {
    const items = left.flatMap((o) => namedItems(state, o))
    const picked = byComparedPrice(text, items)
    if (picked.length === 1) left = left.filter((o) => o.items.includes(picked[0]!))
  }
  return left
}

/** The call that loads the next of the customer's orders not seen yet; undefined once every one is loaded. */
export function loadEveryOrder(state: ConversationState): Step | undefined {
  const missing = (state.user?.orders ?? []).find((id) => !state.orders.has(id) && !findOutcome(state, 'get_order_details', { order_id: id }))
  return missing ? callTool('get_order_details', { order_id: missing }, 'find_order') : undefined
}

/** Looks through the customer's orders for the one that fits, loading them one call at a time. */
function searchOrders(state: ConversationState, want: OrderWanted): RetailOrder | Step {
  const user = state.user
  if (!user) return reply(askToAuthenticate, 'need_authentication')
  // In "all my pending orders", an order already changed in this task is done.
  const changed = state.taskOutcomes.filter((o) => o.ok && o.call.name !== 'get_order_details').map((o) => o.call.arguments.order_id)
  const ids = user.orders.filter((id) => !(want.exclude ?? []).includes(id) && !changed.includes(id))
  const missing = ids.filter((id) => !state.orders.has(id) && !findOutcome(state, 'get_order_details', { order_id: id }))
  if (missing[0]) return callTool('get_order_details', { order_id: missing[0] }, 'find_order')
  const loaded = ids.flatMap((id) => state.orders.get(id) ?? [])
  // Once the orders holding "all" the things named are done, an order holding none of them is not one of them.
  const holds = holdsNamedItems(state)
  const afterAll = changed.length > 0 && coversAll(state) && [...state.orders.values()].some((o) => o.user_id === state.userId && holds(o))
  const fitting = narrow(state, loaded.filter((o) => fitsWanted(o, want))).filter((o) => !afterAll || holds(o))
  if (afterAll && fitting.length === 0) return reply(anythingElse, 'done')
  if ((fitting.length === 1 || coversAll(state)) && fitting[0]) return fitting[0]
  // "Return the laptop I just received" when the one laptop is still pending: that order, so the flow says
  // why the request does not apply to it instead of asking for an order id the customer does not know.
  const holding = want.fits && fitting.length === 0 ? narrow(state, loaded.filter(want.fits)) : []
  if (holding.length === 1 && holding[0]) return holding[0]
  // "Change my pending order's item to red": nothing named that an order holds, so its status, address or recency says which.
  const unnamed = want.fits && !loaded.some(want.fits) ? narrow(state, loaded.filter((o) => !want.statuses || want.statuses.includes(o.status))) : []
  if (unnamed.length === 1 && unnamed[0]) return unnamed[0]
  if (ids.length === 0) return reply('I could not find any orders on your account.', 'no_orders')
  // "Cancel the other items" once every pending order is cancelled: no order is in a status the request can act on,
  // which is said, not asked about.
  if (want.statuses && !want.fits && loaded.length === ids.length && !loaded.some((o) => want.statuses!.includes(o.status))) {
    return reply(`None of your orders is ${want.statuses.join(' or ')} now, so there is none I can ${want.purpose}. Your orders: ${loaded.map(describeOrder).join('; ')}. ${anythingElse}`, 'no_order_fits')
  }
  return askWhichOrder(state, fitting.length > 0 ? fitting : loaded, ids, want)
}

// "The order I just placed", "my most recent order", "the older one": neither get_user_details nor get_order_details
// dates an order (nor says the account's order list is in date order), so which order that is is the customer's to say.
const byDate = /\b(?:most recent(?:ly)?|latest|newest|newer|oldest|older|earlier|last order|first order|just (?:placed|ordered|bought|made))\b/i

/** Whether the customer told the order by when it was placed, which no tool result shows. */
export const undated = (text: string): boolean => byDate.test(text)

const noDates = 'Your order records do not show when each order was placed, so I cannot tell which one you mean by its date.'

/** The candidates by id, with the items the customer named in each (so they can say which), else every item's name. */
function askWhichOrder(state: ConversationState, candidates: RetailOrder[], ids: string[], want: OrderWanted): Step {
  const dated = candidates.length > 1 && undated(state.userTexts.join(' ')) ? `${noDates} ` : ''
  const named = candidates.map((o) => ({ order: o, items: namedItems(state, o) }))
  if (named.length > 1 && named.every((c) => c.items.length > 0)) {
    const listed = named.map((c) => `${c.order.order_id} (${c.order.status}): ${describeItems(c.items)}`).join('; or ')
    return reply(`${dated}What you named is in more than one order: ${listed}. Which order would you like to ${want.purpose}? Please give me its order id, or tell me which of these items you mean.`, 'need_order_id')
  }
  const listed = candidates.map(describeOrder)
  const known = listed.length > 0 ? `Your orders: ${listed.join('; ')}.` : `The orders on your account: ${ids.join(', ')}.`
  return reply(`${dated}${known} Which order would you like to ${want.purpose}? Please give me its order id.`, 'need_order_id')
}

// "My two orders, #W1 and #W2 … cancelling the older order": one action, two ids in the same message, and which
// one is meant is theirs to say (unless they mean them all: "both orders", "each order").
function idsInDoubt(state: ConversationState, want: OrderWanted): string[] {
  if (confirmedOrder(state) || rejectedOrder(state)) return []
  const text = state.userTexts.join(' ')
  if (/\b(both|all|each|every)\b(?:\s+\w+){0,3}\s+orders\b/i.test(text)) return []
  const latest = [...state.userTexts].reverse().map((t) => extractEntities(t).orderIds.filter((id) => !(want.exclude ?? []).includes(id))).find((ids) => ids.length > 0)
  return latest && latest.length > 1 ? latest : []
}

/** Authenticates, works out which order is meant and loads it; returns a step until the order is known. */
export function resolveOrder(state: ConversationState, want: OrderWanted): RetailOrder | Step {
  const auth = authenticate(state)
  if (auth) return auth
  const doubt = idsInDoubt(state, want)
  const dated = doubt.length > 0 && undated(state.userTexts.join(' ')) ? ` ${noDates}` : ''
  if (doubt.length > 0) return reply(`You mentioned orders ${doubt.join(' and ')}.${dated} Which one would you like to ${want.purpose}? Please give me its order id.`, 'need_order_id')
  const orderId = namedOrderId(state, want)
  if (orderId) return loadOrder(state, orderId)
  const load = loadUser(state)
  if (load) return load
  const rejected = rejectedOrder(state)
  return searchOrders(state, rejected ? { ...want, exclude: [...(want.exclude ?? []), rejected] } : want)
}

/** The payment method the order was paid with: the policy's default refund destination. */
export const originalPayment = (order: RetailOrder): string =>
  order.payment_history.find((p) => p.transaction_type === 'payment')?.payment_method_id ?? ''

/** What the order was paid in total. */
export const orderTotal = (order: RetailOrder): number =>
  order.payment_history.filter((p) => p.transaction_type === 'payment').reduce((s, p) => s + p.amount, 0)

/** "Order #W… is delivered, so …": why the request does not apply to this order. */
export function wrongStatus(order: RetailOrder, allowed: string, what: string): Step {
  return reply(`Order ${order.order_id} is ${order.status}. Only ${allowed} orders can be ${what}, so I cannot do that for this order. It contains: ${describeItems(order.items)}.`, `status_${order.status.replace(/\W+/g, '_')}`)
}
