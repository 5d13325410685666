// Which items of an order the customer means: item ids, or product names such as "the keyboard" ("the
// small t-shirt" when the order holds several).
import type { RetailItem, RetailOrder } from '../retail-types.ts'
import type { ConversationState } from '../state.ts'
import { describedItems } from './order-clues.ts'

export const squash = (s: string): string => s.toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim()
export const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

// Words of a product name too generic to stand for it on their own ("set" in "Dumbbell Set").
const vagueWords = new Set(['set', 'kit', 'mat', 'smart', 'electric', 'digital', 'portable', 'wireless', 'indoor', 'security', 'light', 'office', 'water', 'running', 'action', 'gaming', 'machine', 'maker'])
const stem = (w: string): string => w.replace(/ves$/, 'f').replace(/(?<=[^s])s$/, '')

// What customers call some products instead of their catalogue names.
const otherNames: Record<string, string[]> = {
  'espresso machine': ['coffee machine'], 'coffee maker': ['coffee machine'], bicycle: ['bike'], wristwatch: ['watch'],
  'running shoes': ['shoe'], sneakers: ['shoe'],
}

/** "Mechanical Keyboard" is named by its full name or one of its distinctive words ("keyboard", "keyboards"). */
export function namesProduct(text: string, productName: string): boolean {
  return productMatcher(text)(productName)
}

/** `namesProduct` of one text for many product names: the text is read once, not once per name. */
export function productMatcher(text: string): (productName: string) => boolean {
  const said = squash(text)
  const compact = said.replace(/ /g, '')
  const words = new Set(said.split(' ').map(stem))
  return (productName) => {
    const name = squash(productName)
    const joined = name.replace(/ /g, '')
    // "tshirt" for "T-Shirt", "book shelf" for "Bookshelf".
    if (said.includes(name) || said.includes(joined) || (name.length >= 6 && compact.includes(joined))) return true
    if ((otherNames[name] ?? []).some((other) => new RegExp(`\\b${other}s?\\b`).test(said))) return true
    return name.split(' ').some((w) => w.length >= 3 && !vagueWords.has(w) && words.has(stem(w)))
  }
}

// "everything except the coffee machine": what follows "except" is left out.
const exceptPattern = /\b(?:except(?: for)?|but not|other than|apart from|besides|excluding)\b(.*)$/i

// "the backpack I received with the vacuum cleaner": the vacuum cleaner only says which order.
const companionPattern = /\b(?:that |which )?(?:i )?(?:received|bought|ordered|got)?\s*(?:along |together )?with (?:the|my|a|an) [a-z -]+/gi

function splitExcept(text: string): { kept: string; excluded: string } {
  const m = exceptPattern.exec(text)
  const { kept, excluded } = m ? { kept: text.slice(0, m.index), excluded: m[1] ?? '' } : { kept: text, excluded: '' }
  return { kept: kept.replace(companionPattern, ' '), excluded }
}

// "I'd rather only exchange the thermostat": the latest message narrowing the request to some items of the order.
function onlyNamed(state: ConversationState, order: RetailOrder): RetailItem[] | undefined {
  for (const text of [...state.userTexts].reverse()) {
    if (!/\bonly (?:want to |like to )?(?:exchange|return|change|modify)\b/i.test(text)) continue
    const named = order.items.filter((i) => namesProduct(splitExcept(text).kept, i.name))
    if (named.length > 0) return named
  }
  return undefined
}

// Words that describe an item's current options ("my small t-shirt", "the black boots"); a size word stands for its letter.
const describing = new Set('small medium large black white red blue green purple gold silver grey gray brown pink yellow navy beige'.split(' '))
const sizeLetters: Record<string, string> = { small: 's', medium: 'm', large: 'l' }

// The ways a text names an item's product ("t shirt", "tshirt", "shirt"), as a regex alternation.
function nameAlternation(item: RetailItem): string {
  const name = squash(item.name)
  return [name, name.replace(/ /g, ''), ...name.split(' ').filter((w) => w.length >= 3 && !vagueWords.has(w))].map(escape).join('|')
}

/** "My pending small t-shirt" does not name a t-shirt of another size: describing words before the name that fit none of its options. */
function describedOtherwise(text: string, item: RetailItem): boolean {
  // Not after "for"/"to": "exchange it for the black t-shirt" describes the new item.
  const pattern = new RegExp(`(?<!\\b(?:to|for|into|with)\\s)\\b(?:my|the|our)\\s+(?:[a-z]+\\s+){0,2}?([a-z]+)\\s+(?:${nameAlternation(item)})s?\\b`, 'g')
  const words = [...squash(text).matchAll(pattern)].map((m) => m[1] ?? '').filter((w) => describing.has(w))
  const values = Object.values(item.options).map(squash)
  return words.length > 0 && !words.some((w) => values.includes(w) || values.includes(sizeLetters[w] ?? w))
}

// "Return the more expensive one" of two tablets: the item picked by its price among those of one product.
// ("A cheaper one" asks for a new variant, not for one of the items; "the speaker that is more expensive" picks one.)
const comparedPrice = /\bthe (?:(more|less) expensive|(pricier|cheaper)) (?:one|item)\b|\b(?:that|which) (?:is|was) (?:the )?(more|less) expensive\b/gi

/**
 * +1 for "the more expensive one", -1 for "the cheaper one", undefined when the customer compared no prices; the
 * latest comparison counts ("…the less expensive one. … I change my mind and return the more expensive one").
 */
export function comparedPriceIn(text: string): 1 | -1 | undefined {
  const m = [...text.matchAll(comparedPrice)].at(-1)
  if (!m) return undefined
  return (m[1] ?? m[3])?.toLowerCase() === 'more' || m[2]?.toLowerCase() === 'pricier' ? 1 : -1
}

/** Of items of one product, the one whose price the customer's comparison picks. */
export function byComparedPrice(text: string, named: RetailItem[]): RetailItem[] {
  const direction = comparedPriceIn(text)
  if (!direction || new Set(named.map((i) => i.product_id)).size !== 1 || named.length < 2) return named
  const price = direction * Math.max(...named.map((i) => direction * i.price))
  const picked = named.filter((i) => i.price === price)
  return picked.length === 1 ? picked : named
}

/** Items of the order named by id or by product name in the current task; all of them for "everything". */
export function namedItems(state: ConversationState, order: RetailOrder): RetailItem[] {
  const only = onlyNamed(state, order)
  if (only) return only
  const ids = [...state.entities.itemIds, ...state.entities.productIds]
  const { kept, excluded } = splitExcept(state.userTexts.join(' '))
  const left = order.items.filter((i) => !(excluded && namesProduct(excluded, i.name)))
  if (state.entities.allItems) return left
  const named = left.filter((i) => ids.includes(i.item_id) || ids.includes(i.product_id) || (namesProduct(kept, i.name) && !describedOtherwise(kept, i)))
  if (named.length > 0) return byComparedPrice(kept, told(state, named, ids, kept))
  // "Change my pending order item to red": "the item" of an order that holds one.
  if (!excluded && order.items.length === 1 && /\b(?:the|its|my|order|that|this)\s+item\b/i.test(kept)) return order.items
  return excluded ? left : []
}

/**
 * "Modify the 17-inch laptop to the 13-inch version": of items of one product, those whose option values the
 * words right before its name say (most said wins); all of them when those words tell none apart. Words after
 * "to"/"for" describe the new item instead.
 */
function describedBeforeName(text: string, same: RetailItem[]): RetailItem[] {
  const [first] = same
  if (!first || same.length < 2) return same
  const pattern = new RegExp(`(?<!\\b(?:to|for|into|with)\\s)\\b(?:my|the|our)\\s+((?:[a-z0-9]+\\s+){1,3}?)(?:${nameAlternation(first)})s?\\b`, 'g')
  const said = [...squash(text).matchAll(pattern)].map((m) => ` ${m[1] ?? ''}`).join(' ')
  const count = (i: RetailItem): number => Object.values(i.options).filter((v) => squash(v).length >= 2 && said.includes(` ${squash(v)} `)).length
  const most = Math.max(...same.map(count))
  return most > 0 ? same.filter((i) => count(i) === most) : same
}

// Two items of one product named by its name alone: the ones the customer described ("the robotic one", "the
// 17-inch laptop"), if they did.
function told(state: ConversationState, named: RetailItem[], ids: string[], text: string): RetailItem[] {
  const products = [...new Set(named.map((i) => i.product_id))]
  const described = new Set(products.flatMap((p) => {
    const same = named.filter((i) => i.product_id === p)
    return same.some((i) => ids.includes(i.item_id)) ? same : describedItems(state, describedBeforeName(text, same))
  }))
  return named.filter((i) => described.has(i))
}

/**
 * Items the customer named in the singular ("a vacuum cleaner") that the order holds more than one of:
 * which one they mean is theirs to say, never a guess.
 */
export function ambiguousItems(state: ConversationState, order: RetailOrder, items: RetailItem[]): RetailItem[] {
  const text = squash(state.userTexts.join(' '))
  if (/\b(all|both|every|each|two|three|four)\b/.test(text) || state.entities.allItems) return []
  const ids = new Set([...state.entities.itemIds, ...state.entities.productIds])
  const byProduct = new Map<string, RetailItem[]>()
  for (const i of items) if (!ids.has(i.item_id)) byProduct.set(i.product_id, [...(byProduct.get(i.product_id) ?? []), i])
  const plural = (name: string): boolean => squash(name).split(' ').some((w) => new RegExp(`\\b${escape(w)}e?s\\b`).test(text) && !w.endsWith('s'))
  return [...byProduct.values()].find((same) => same.length > 1 && !plural(same[0]!.name)) ?? []
}

const counts: Record<string, number> = { two: 2, both: 2, three: 3, four: 4, five: 5 }

// "Only need one", "one of them", "the more expensive one", "the silver one": one item singled out of a count.
const picksOne = /\bonly (?:need|want|keep) one\b|\bone of (?:them|the \w+)\b|\b(?:the|that|this) (?:[\w-]+ ){0,3}one\b(?! more)/i

/**
 * How many items the customer said they mean in this order, if they said ("two items", "both"), and how many
 * of the chosen items that count is about. "The two skateboards" counts skateboards, so it says nothing about
 * an order without one; "a two-piece luggage set" counts no items at all.
 */
export function statedCount(state: ConversationState, order: RetailOrder, items: RetailItem[]): { count: number; chosen: number } | undefined {
  const text = state.userTexts.join(' ')
  // "I received two tablets and only need one; return the more expensive one": the count is what they have.
  if (picksOne.test(text)) return undefined
  const products = [...state.orders.values()].flatMap((o) => o.items.map((i) => i.name))
  for (const { count, noun } of countsSaid(text)) {
    if (!products.some((p) => namesProduct(noun, p))) return { count, chosen: items.length }
    // "The two laptops", one in each of two orders: the other order's laptop counts too.
    const elsewhere = [...state.orders.values()].filter((o) => o.order_id !== order.order_id && o.user_id === order.user_id).flatMap((o) => o.items).filter((i) => namesProduct(noun, i.name))
    const ofIt = items.filter((i) => namesProduct(noun, i.name))
    if (order.items.some((i) => namesProduct(noun, i.name))) return { count, chosen: ofIt.length + elsewhere.length }
  }
  return undefined
}

/** The first count the customer said ("which two t-shirts have I ordered?"), if they said one. */
export const firstCount = (state: ConversationState): number | undefined => countsSaid(state.userTexts.join(' '))[0]?.count

/** "Two laptops", "both": each count the customer said, with the words after it. */
function countsSaid(text: string): { count: number; noun: string }[] {
  return [...text.matchAll(/\b(two|both|three|four|five)\b(?!-|\s+(?:orders?|payment|methods?|cards?|accounts?|addresses|problems|issues|questions|requests|days|weeks|months|years|times)\b)((?:\s+[a-z-]+){0,3})/gi)].map((m) => ({ count: counts[m[1]!.toLowerCase()]!, noun: m[2] ?? '' }))
}

/** "It is actually two laptops" when each of two orders holds one: the request covers both orders. */
export function countedAcrossOrders(state: ConversationState): boolean {
  const orders = [...state.orders.values()].filter((o) => o.user_id === state.userId)
  const text = state.userTexts.join(' ')
  return !picksOne.test(text) && countsSaid(text).some(({ count, noun }) => {
    const holders = orders.filter((o) => o.items.some((i) => namesProduct(noun, i.name)))
    return holders.length > 1 && holders.flatMap((o) => o.items).filter((i) => namesProduct(noun, i.name)).length === count
  })
}

/**
 * Products the customer named that sit in other orders already looked at, outside the chosen items: the
 * request spans orders, and taking only part of it would be a change they did not ask for.
 */
export function namedElsewhere(state: ConversationState, order: RetailOrder, items: RetailItem[]): RetailOrder[] {
  // Only orders the request could apply to: a cancelled order's watch is not "the watch I received".
  const comparable = (o: RetailOrder): boolean => o.status === order.status
  const text = squash(splitExcept(state.userTexts.join(' ')).kept)
  const chosen = new Set(items.map((i) => i.product_id))
  return [...state.orders.values()].filter((o) => o.order_id !== order.order_id && o.user_id === order.user_id && comparable(o) &&
    o.items.some((i) => !chosen.has(i.product_id) && namesProduct(text, i.name)))
}

/** Whether the customer named something this order holds (used to find the order they mean). */
export const holdsNamedItems = (state: ConversationState) => (order: RetailOrder): boolean => namedItems(state, order).length > 0

/** Item ids the customer gave that are not in the order (nor its products): the new variants they want. */
export const newItemIds = (state: ConversationState, order: RetailOrder): string[] =>
  state.entities.itemIds.filter((id) => !order.items.some((i) => i.item_id === id || i.product_id === id))
