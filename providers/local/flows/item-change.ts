// Changing items for other variants of the same product (retail policy): a pending order's items are
// modified, a delivered order's are exchanged. Each new item is an available variant of the same product;
// the price difference is settled with a payment method on the profile (a gift card must cover it); the
// tool runs once per order, so the customer is reminded to list every item before confirming.
import { describeItems, describePaymentMethod } from '../replies.ts'
import type { RetailItem, RetailOrder, RetailProduct, RetailUser, RetailVariant } from '../retail-types.ts'
import type { ConversationState } from '../state.ts'
import { callTool, reply, type Step } from '../step.ts'
import { loadUser } from './account.ts'
import { confirmWrite } from './confirm-write.ts'
import { itemsInDoubt } from './item-doubts.ts'
import { holdsNamedItems, namedItems, newItemIds } from './items.ts'
import { originalPayment, resolveOrder, wrongStatus } from './order-lookup.ts'
import { methodChoices, namedPaymentMethod } from './payment-methods.ts'
import { variantElsewhere } from './variant-elsewhere.ts'
import { chooseVariant, otherProductWish } from './variants.ts'

export interface Swap {
  item: RetailItem
  variant: RetailVariant
  /** Other variants that fit what the customer asked for equally, named in the proposal so they can pick one. */
  alternatives?: RetailVariant[]
}

const describeVariant = (product: RetailProduct, v: RetailVariant): string =>
  `${product.name} (${Object.values(v.options).join(', ')}), item ${v.item_id}, $${v.price.toFixed(2)}`

/** The product of each named item, loading the ones not seen yet one call at a time. */
export function loadProducts(state: ConversationState, items: RetailItem[]): Map<string, RetailProduct> | Step {
  const missing = items.find((i) => !state.products.has(i.product_id))
  return missing ? callTool('get_product_details', { product_id: missing.product_id }, 'load_product') : state.products
}

// "A new pair with the same specs", "exchange it to the same item": the policy changes an item only for another
// option. ("The same one but with clicky switches" is a change.)
const sameItem = /\b(?:same|identical) (?:item|specs|specifications)\b(?!,? (?:but|except|with)\b)/i

/** The new variant for each item, or a question when the customer has not said which one they want. */
export function chooseSwaps(state: ConversationState, order: RetailOrder, items: RetailItem[], products: Map<string, RetailProduct>): Swap[] | Step {
  const given = newItemIds(state, order)
  const text = state.userTexts.join(' ')
  const swaps: Swap[] = []
  // "Switch all items to their cheapest options": an item already cheaper than its other options stays as it is.
  // ("For the laptop, the cheapest i7" is one item's wish, read with that item.)
  const keepsCheapest = items.length > 1 && /\b(?:all|every|each|both)\b[^.?!]*\bcheapest\b/i.test(text)
  for (const item of items) {
    const product = products.get(item.product_id)
    if (!product) return reply(`I could not load the details of ${item.name}.`, 'product_lookup_failed')
    const byId = given.map((id) => product.variants[id]).find((v) => v !== undefined) ?? variantElsewhere(state, order, item, product)
    if (byId && !byId.available) return reply(`Item ${byId.item_id} (${describeVariant(product, byId)}) is not available right now. Would you like another option?`, 'need_new_item')
    // "the cheapest" said of one of several items cannot be told apart from the others' wishes.
    const owned = [...state.orders.values()].flatMap((o) => o.items.map((i) => i.name))
    const choice = byId ? { variant: byId } : chooseVariant(state.userTexts, product, item, items.length === 1 || state.entities.allItems, owned)
    if ('variant' in choice) {
      if (byId || !keepsCheapest || choice.variant.price < item.price) swaps.push({ item, variant: choice.variant, ...('alternatives' in choice && choice.alternatives ? { alternatives: choice.alternatives } : {}) })
      continue
    }
    const others = Object.values(product.variants).filter((v) => v.available && v.item_id !== item.item_id)
    // "If it is less than 200 bucks": nothing is, and that is the answer (the customer said what to do otherwise, or will).
    if ('limit' in choice && choice.limit !== undefined) {
      const [lowest] = [...others].sort((a, b) => a.price - b.price)
      const cheapest = lowest ? ` The cheapest available is ${describeVariant(product, lowest)}.` : ''
      return reply(`No available ${product.name} costs less than $${choice.limit}, so I cannot change your ${describeItems([item])} in order ${order.order_id} within that price.${cheapest} I have not changed anything: what would you like to do instead?`, 'need_new_item')
    }
    const options = 'options' in choice ? choice.options : others
    const listed = options.slice(0, 12).map((v) => describeVariant(product, v)).join('; ')
    const other = otherProductWish(state.userTexts, product)
    // The order is named so that a follow-up ("return the item", "cancel the whole order") is about this one.
    const intro = sameItem.test(text)
      ? `An item can only be changed for a different option of the same product, so I cannot give you the same item as ${describeItems([item])}. Which one would you like instead?`
      : other
        ? `The ${product.name} in order ${order.order_id} cannot be changed into a ${other}: items can only be exchanged for another option of the same product.`
        : 'options' in choice && choice.closeMatch
          ? `Which ${product.name} would you like instead of ${describeItems([item])} in order ${order.order_id}?`
          : `A ${product.name} with exactly what you described and your other options unchanged is not available for order ${order.order_id}.`
    return reply(`${intro} Available options: ${listed || 'none'}. Please tell me the item id or the options you want.`, 'need_new_item')
  }
  return swaps.length > 0 ? swaps : reply(`Each of these is already its cheapest available option: ${describeItems(items)}.`, 'nothing_to_change')
}

const askMethod = 'Which payment method should settle the price difference?'

/**
 * The payment method for the price difference. The policy has the customer choose it, so it is asked for
 * once; a customer who leaves it to us gets the order's original method, shown in the confirmation.
 */
function settleWith(state: ConversationState, order: RetailOrder, user: RetailUser, difference: number): string | Step {
  const named = namedPaymentMethod(state, user)
  const original = originalPayment(order)
  const onlyOne = Object.keys(user.payment_methods).length === 1
  if (!named && !onlyOne && !state.taskAssistantTexts.some((t) => t.startsWith(askMethod))) {
    return reply(`${askMethod} On your profile: ${methodChoices(user)}. The order was paid with ${original}.`, 'need_payment_method')
  }
  if (named && !('id' in named)) {
    const among = 'ambiguous' in named ? named.ambiguous : Object.keys(user.payment_methods)
    return reply(`${askMethod} On your profile: ${methodChoices(user, among)}.`, 'need_payment_method')
  }
  const id = named?.id ?? original
  const method = user.payment_methods[id]
  if (!method) return reply(`${askMethod} On your profile: ${methodChoices(user)}.`, 'need_payment_method')
  if (method.source === 'gift_card' && difference > (method.balance ?? 0)) {
    return reply(`Gift card ${id} has a balance of $${(method.balance ?? 0).toFixed(2)}, which does not cover the difference of $${difference.toFixed(2)}. Which other payment method would you like? ${methodChoices(user)}.`, 'need_payment_method')
  }
  return id
}

function proposal(order: RetailOrder, swaps: Swap[], products: Map<string, RetailProduct>, method: string, user: RetailUser): string {
  const pending = order.status === 'pending'
  const lines = swaps.map((s) => `${describeItems([s.item])} → ${describeVariant(products.get(s.item.product_id)!, s.variant)}`).join('; ')
  const others = swaps.filter((s) => s.alternatives).map((s) => s.alternatives!.map((v) => describeVariant(products.get(s.item.product_id)!, v)).join('; '))
  const alternatives = others.length > 0 ? ` It keeps your other options; also fitting what you asked: ${others.join('; ')}. Tell me the item id if you prefer one of them.` : ''
  const difference = swaps.reduce((sum, s) => sum + s.variant.price - s.item.price, 0)
  // With several items, the difference of two totals is no amount the platform's grounding check can trace
  // (it takes a sum or a difference of two amounts); the two totals, each a sum of prices shown, it can.
  const total = (prices: number[]): string => `$${prices.reduce((a, b) => a + b, 0).toFixed(2)}`
  const settle = swaps.length > 1
    ? `the new items total ${total(swaps.map((s) => s.variant.price))} and the current ones ${total(swaps.map((s) => s.item.price))}, ${difference >= 0 ? 'you pay' : 'you get back'} the difference`
    : difference >= 0 ? `you pay the difference of $${difference.toFixed(2)}` : `you get $${(-difference).toFixed(2)} back`
  return `To confirm, ${pending ? 'modify' : 'exchange'} in order ${order.order_id}: ${lines}.${alternatives} Price difference: ${settle}, ` +
    `through ${describePaymentMethod(method, user.payment_methods[method])}. ` +
    `This can be done only once for this order, so please make sure these are all the items you want to ${pending ? 'change' : 'exchange'}.`
}

export function changeItems(state: ConversationState): Step {
  const order = resolveOrder(state, { statuses: ['pending', 'delivered'], fits: holdsNamedItems(state), purpose: 'change items in' })
  if ('action' in order) return order
  if (order.status !== 'pending' && order.status !== 'delivered') return wrongStatus(order, 'pending or delivered', 'changed')
  const items = namedItems(state, order)
  if (items.length === 0) {
    return reply(`Order ${order.order_id} is ${order.status} and contains: ${describeItems(order.items)}. Which items would you like to ${order.status === 'pending' ? 'change' : 'exchange'}, and for what?`, 'need_items')
  }
  const doubt = itemsInDoubt(state, order, items, order.status === 'pending' ? 'change' : 'exchange')
  if (doubt) return doubt
  const products = loadProducts(state, items)
  if ('action' in products) return products
  const swaps = chooseSwaps(state, order, items, products)
  if ('action' in swaps) return swaps
  const load = loadUser(state)
  if (load) return load
  const user = state.user
  if (!user) return reply('I could not load your account details just now.', 'user_lookup_failed')
  const difference = swaps.reduce((sum, s) => sum + s.variant.price - s.item.price, 0)
  const method = settleWith(state, order, user, difference)
  if (typeof method !== 'string') return method
  return confirmWrite(state, {
    tool: order.status === 'pending' ? 'modify_pending_order_items' : 'exchange_delivered_order_items',
    args: { order_id: order.order_id, item_ids: swaps.map((s) => s.item.item_id), new_item_ids: swaps.map((s) => s.variant.item_id), payment_method_id: method },
    details: proposal(order, swaps, products, method, user),
  })
}
