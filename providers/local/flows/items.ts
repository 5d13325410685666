// Which items of an order the customer means (item ids, or product names such as "the keyboard"), and
// which variant of a product they want instead (an item id, or the option values they mention).
import type { RetailItem, RetailOrder, RetailProduct, RetailVariant } from '../retail-types.ts'
import type { ConversationState } from '../state.ts'

const squash = (s: string): string => s.toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim()
const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

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
  const words = new Set(squash(text).split(' ').map(stem))
  const said = squash(text)
  const name = squash(productName)
  // "tshirt" for "T-Shirt", "book shelf" for "Bookshelf".
  if (said.includes(name) || said.includes(name.replace(/ /g, '')) || (name.length >= 6 && said.replace(/ /g, '').includes(name.replace(/ /g, '')))) return true
  if ((otherNames[name] ?? []).some((other) => new RegExp(`\\b${other}s?\\b`).test(said))) return true
  return name.split(' ').some((w) => w.length >= 3 && !vagueWords.has(w) && words.has(stem(w)))
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

// "Return the more expensive one" of two tablets: the item picked by its price among those of one product.
// ("A cheaper one" asks for a new variant, not for one of the items.)
const comparedPrice = /\bthe (?:(more|less) expensive|(pricier|cheaper)) (?:one|item)\b/gi

/**
 * +1 for "the more expensive one", -1 for "the cheaper one", undefined when the customer compared no prices; the
 * latest comparison counts ("…the less expensive one. … I change my mind and return the more expensive one").
 */
export function comparedPriceIn(text: string): 1 | -1 | undefined {
  const m = [...text.matchAll(comparedPrice)].at(-1)
  if (!m) return undefined
  return m[1] === 'more' || m[2]?.toLowerCase() === 'pricier' ? 1 : -1
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
  const named = left.filter((i) => ids.includes(i.item_id) || ids.includes(i.product_id) || namesProduct(kept, i.name))
  if (named.length > 0) return byComparedPrice(kept, named)
  return excluded ? left : []
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

/** How many items the customer said they mean ("two items", "both"), if they said. */
export function statedCount(state: ConversationState): number | undefined {
  // "Two orders", "two payment methods" count no items.
  const m = /\b(two|both|three|four|five)\b(?!\s+(?:orders?|payment|methods?|cards?|accounts?|addresses)\b)(?:\s+(?:of\s+)?(?:the\s+)?(?:items|things|products))?/i.exec(state.userTexts.join(' '))
  return m ? counts[m[1]!.toLowerCase()] : undefined
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

// Option values mentioned in the text, per option name; a one-letter size needs the word "size" before it,
// and "no backlight" names the value "none" of the option "backlight".
function mentionedValues(text: string, product: RetailProduct): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>()
  for (const v of Object.values(product.variants)) {
    for (const [key, value] of Object.entries(v.options)) {
      const val = squash(value)
      // A brand-like value is named by its first word too ("Google Home" for "Google Assistant").
      const head = val.split(' ')[0] ?? ''
      const whole = val.includes(' ') && head.length >= 5 ? `(?:${escape(val)}|${escape(head)})` : escape(val)
      // "500 pieces less" is a difference, not the value 500.
      const absolute = `(?!\\s+(?:[a-z]+\\s+)?(?:more|less|fewer|larger|smaller|bigger|higher|lower)\\b)`
      const pattern = val === 'none' ? `\\bno ${escape(squash(key))}\\b` : val.length <= 2 ? `\\bsize ${escape(val)}\\b` : `\\b${whole}\\b${absolute}`
      if (val && new RegExp(pattern).test(text)) out.set(key, (out.get(key) ?? new Set()).add(value))
    }
  }
  return out
}

/** "the cheapest" / "the most expensive" among the variants that fit, if the customer asked for one. */
function byPrice(text: string, variants: RetailVariant[]): RetailVariant | undefined {
  const sorted = [...variants].sort((a, b) => a.price - b.price)
  if (/\b(cheapest|least expensive|lowest price)\b/.test(text)) return sorted[0]
  if (/\b(most expensive|priciest|highest price)\b/.test(text)) return sorted.at(-1)
  return undefined
}

/** One variant; or several that fit equally (`closeMatch`: one of them keeps every option not mentioned); or none. */
export type VariantChoice = { variant: RetailVariant } | { options: RetailVariant[]; closeMatch: boolean } | { none: true }

// Option values with an order but no number in them; numbers ("1000ml", "34 inch", "20MP", "1TB SSD") order the rest.
const scales = [['low', 'medium', 'high'], ['xs', 's', 'm', 'l', 'xl', 'xxl'], ['small', 'medium', 'large']]

/** Where a value sits on its option's scale, if it has one. */
function rankOf(value: string): number | undefined {
  const v = squash(value)
  const n = /^(\d+(?:\.\d+)?)\s*(tb)?/.exec(v)
  if (n) return Number(n[1]) * (n[2] ? 1024 : 1)
  for (const scale of scales) if (scale.includes(v)) return scale.indexOf(v)
  return undefined
}

/** "a less bright one", "a bigger one", "1000 more pieces", "the maximum zoom": a step along an option's scale. */
interface RelativeWish { option: RegExp; direction: 1 | -1; by?: number; furthest?: boolean }

const relativeWishes: [RegExp, (m: RegExpExecArray) => RelativeWish][] = [
  [/\b(?:less bright|dimmer|lower brightness|not as bright)\b/, () => ({ option: /bright/, direction: -1 })],
  [/\b(?:brighter|more bright|higher brightness)\b/, () => ({ option: /bright/, direction: 1 })],
  [/\b(?:bigger|larger)\b/, () => ({ option: /size|capacity/, direction: 1 })],
  [/\bsmaller\b/, () => ({ option: /size|capacity/, direction: -1 })],
  [/\bshorter\b/, () => ({ option: /length|height/, direction: -1 })],
  [/\blonger\b/, () => ({ option: /length/, direction: 1 })],
  [/\blower resolution\b/, () => ({ option: /resolution/, direction: -1 })],
  [/\bhigher resolution\b/, () => ({ option: /resolution/, direction: 1 })],
  [/\b(\d+) (?:more pieces|pieces more)\b/, (m) => ({ option: /pieces/, direction: 1, by: Number(m[1]) })],
  [/\b(\d+) (?:(?:less|fewer) pieces|pieces (?:less|fewer))\b/, (m) => ({ option: /pieces/, direction: -1, by: Number(m[1]) })],
  [/\b(?:maximum|max|highest|most) zoom\b/, () => ({ option: /zoom/, direction: 1, furthest: true })],
]

// "(prefer battery > USB > AC)", "I prefer animal than art theme": values in the customer's order of preference.
const rankingPatterns = [/\bprefer\w*\s+([^()]*?>[^()]*?)(?:\)|\.|$)/, /\bprefer\w*\s+((?:an? |the )?\w+(?: theme)?\s+(?:than|over|to)\s+(?:the )?\w+)/]

function rankingIn(text: string): { said: string; ranking: string[] } | undefined {
  for (const pattern of rankingPatterns) {
    const said = pattern.exec(text)?.[1]
    if (said) return { said, ranking: said.split(/>|\s(?:than|over|to)\s/).map((r) => squash(r).replace(/^(?:an?|the) /, '').replace(/ theme$/, '')).filter((r) => r !== '') }
  }
  return undefined
}

/** The part of the request about this product ("…, and the desk lamp to a less bright one (prefer …)"). */
function clausesAbout(text: string, product: RetailProduct): string {
  const clauses = text.split(/(?<=[.;!?])\s+|,?\s+and\s+(?=(?:the|my|for)\b)/).filter((c) => namesProduct(c, product.name))
  return clauses.length > 0 ? clauses.join(' ') : text
}

/** Keeps the variants one step (or the stated difference, or all the way) along the wished direction. */
function stepAlong(variants: RetailVariant[], current: RetailItem, key: string, wish: RelativeWish): RetailVariant[] {
  const from = rankOf(current.options[key] ?? '')
  if (from === undefined) return []
  const ahead = variants.filter((v) => {
    const r = rankOf(v.options[key] ?? '')
    return r !== undefined && (r - from) * wish.direction > 0 && (wish.by === undefined || Math.abs(r - from) === wish.by)
  })
  const distance = (v: RetailVariant): number => Math.abs((rankOf(v.options[key] ?? '') ?? from) - from)
  const target = wish.furthest ? Math.max(...ahead.map(distance)) : Math.min(...ahead.map(distance))
  return ahead.filter((v) => distance(v) === target)
}

/** Of the variants, those with the best-ranked value the customer listed. */
function byRanking(variants: RetailVariant[], ranking: string[]): RetailVariant[] {
  for (const wanted of ranking) {
    const hit = variants.filter((v) => Object.values(v.options).some((val) => squash(val).startsWith(wanted) || wanted.startsWith(squash(val))))
    if (hit.length > 0) return hit
  }
  return variants
}

/**
 * The variant of `product` the customer asks for instead of `current`: available, different, matching
 * every option value they mentioned and every relative wish they made ("a less bright one", "1000 more
 * pieces"), in the order of preference they gave, and otherwise as close to the current item as possible.
 */
export function chooseVariant(text: string, product: RetailProduct, current: RetailItem, byPriceAllowed = true): VariantChoice {
  const available = Object.values(product.variants).filter((v) => v.available && v.item_id !== current.item_id)
  const about = squash(clausesAbout(text, product).replace(/>/g, ' gt '))
  const preference = rankingIn(clausesAbout(text, product))
  const ranking = preference?.ranking
  const plain = preference ? squash(text.replace(preference.said, ' ')) : squash(text)
  const mentioned = mentionedValues(plain, product)
  for (const [key, values] of mentioned) if (values.size > 1) values.delete(current.options[key] ?? '')
  // "the same size", "keep the capacity and type": those options keep their current values.
  const kept = Object.keys(current.options).filter((k) => new RegExp(`\\b(?:same|keep(?:ing)?\\b[a-z ]{0,25}?)\\s*${escape(squash(k))}\\b`).test(squash(text)))
  for (const k of kept) mentioned.set(k, new Set([current.options[k] ?? '']))
  let wanted = available.filter((v) => [...mentioned].every(([key, values]) => values.has(v.options[key] ?? '')))
  let unreadWish = false
  const wishes = relativeWishes.flatMap(([pattern, wish]) => {
    const m = pattern.exec(about)
    return m ? [wish(m)] : []
  })
  for (const wish of wishes) {
    const key = Object.keys(current.options).find((k) => wish.option.test(squash(k)) && !mentioned.has(k))
    if (key) wanted = stepAlong(wanted, current, key, wish)
    else unreadWish = true
  }
  if (ranking) wanted = byRanking(wanted, ranking)
  const priced = byPriceAllowed ? byPrice(squash(text), wanted) : undefined
  if (priced) return { variant: priced }
  if (mentioned.size === 0 && wishes.length === 0 && !ranking) return { options: available, closeMatch: true }
  if (wanted.length === 0) return { none: true }
  const same = (v: RetailVariant): number => Object.entries(current.options).filter(([k, val]) => v.options[k] === val).length
  const best = Math.max(...wanted.map(same))
  const closest = wanted.filter((v) => same(v) === best)
  const unmentioned = Object.keys(current.options).filter((k) => !mentioned.has(k)).length
  // A wish not read (two values of one option, a relative word for no option of this product) is offered, never chosen.
  const unread = [...mentioned.values()].some((values) => values.size > 1) || unreadWish || (wishes.length === 0 && relativeWish.test(about))
  if (unread) return { options: closest, closeMatch: false }
  return closest.length === 1 && closest[0] ? { variant: closest[0] } : { options: closest, closeMatch: best >= unmentioned }
}

// ("One more thing" is no wish: "less" and "more" count only before a quality.)
const relativeWish = /\b(?:less|more) (?:bright|expensive|powerful|resolution|capacity|storage|memory|pieces|zoom)\b|\b(?:bigger|smaller|larger|lower|higher|brighter|dimmer|cheaper|slightly|shorter|longer)\b/
