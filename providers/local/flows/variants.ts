// Which variant of a product the customer wants instead of the one they have: the option values they name
// (a later message correcting an earlier one, a fallback chain "8 bar, else 9 bar", "i7 or above"), the
// options they keep or do not care about, relative wishes ("a less bright one"), rankings and price.
import type { RetailItem, RetailProduct, RetailVariant } from '../retail-types.ts'
import { escape, namesProduct, squash } from './items.ts'
import { partAbout } from './message-parts.ts'
import { distinguishingPart, letterSizePattern, withNumberWord } from './value-words.ts'

// How customers write some units ("4 foot" for "4 ft", "34 inches" for "34 inch").
const unitWords: [RegExp, string][] = [[/\bft$/, '(?:ft|foot|feet)'], [/\binch$/, '(?:inch|inches)'], [/\binches$/, '(?:inch|inches)']]

// A yes/no option is named by its name ("waterproof", "not water resistant"), never by a bare "yes" or "no".
function yesNoPattern(key: string, value: string): string {
  const name = escape(squash(key)).replace(/ance$/, 'an(?:ce|t)')
  const negated = `\\b(?:not|non|no|without)\\s+${name}\\b`
  return value === 'no' ? negated : `(?<!\\b(?:not|non|no|without)\\s)\\b${name}\\b(?!\\s+or not)`
}

/** The pattern that names one option value in a customer's (squashed) words. */
function valuePattern(key: string, value: string, siblings: string[]): string {
  const val = squash(value)
  if (val === 'yes' || val === 'no') return yesNoPattern(key, val)
  // "no backlight" names the value "none" of the option "backlight"; a one-letter size needs the word "size".
  if (val === 'none') return `\\bno ${escape(squash(key))}\\b`
  if (val.length <= 2) return letterSizePattern(val)
  // A brand-like value is named by its first word too ("Google Home" for "Google Assistant"), unless the
  // option's other values share that word ("Brand A", "Brand B").
  const head = val.split(' ')[0] ?? ''
  const sharedHead = siblings.some((s) => s !== value && squash(s).split(' ')[0] === head)
  const unit = unitWords.reduce((p, [re, words]) => p.replace(re, words), escape(val))
  const part = distinguishingPart(val, siblings.map(squash))
  const whole = val.includes(' ') && head.length >= 5 && !sharedHead ? `(?:${unit}|${escape(head)})` : part ? `(?:${unit}|${escape(part)})` : withNumberWord(unit, val)
  // "500 pieces less" is a difference, not the value 500; "medium sized" is a size, not a medium ventilation.
  const sized = /size/.test(squash(key)) ? '' : '(?! sized\\b)'
  return `\\b${whole}\\b${sized}(?!\\s+(?:[a-z]+\\s+)?(?:more|less|fewer|larger|smaller|bigger|higher|lower)\\b)`
}

/** The values of each option of the product, as the catalogue lists them. */
function optionValues(product: RetailProduct): Map<string, string[]> {
  const out = new Map<string, string[]>()
  for (const v of Object.values(product.variants)) {
    for (const [key, value] of Object.entries(v.options)) if (!(out.get(key) ?? []).includes(value)) out.set(key, [...(out.get(key) ?? []), value])
  }
  return out
}

/**
 * "8 bar" said of an option whose values are "9 bar", "15 bar", …: a value of the option's form that the
 * catalogue does not have. It is kept as said, so no variant fits it and the customer hears so.
 */
function valuesNotInCatalogue(text: string, values: string[]): (readonly [number, string])[] {
  const units = new Set(values.map((v) => /^\d+(?:\.\d+)?\s*([a-z]+)$/i.exec(v)?.[1]?.toLowerCase()))
  const [unit] = units
  if (units.size !== 1 || !unit) return []
  const known = new Set(values.map((v) => squash(v)))
  return [...text.matchAll(new RegExp(`\\b(\\d+(?:\\.\\d+)?) ?${escape(unit)}\\b`, 'g'))]
    .filter((m) => !known.has(`${m[1]} ${unit}`) && !known.has(`${m[1]}${unit}`))
    .map((m) => [m.index, `${m[1]} ${unit}`] as const)
}

/** Option values one text mentions, per option name, in the order they appear. */
function valuesIn(text: string, product: RetailProduct): Map<string, string[]> {
  const out = new Map<string, string[]>()
  for (const [key, values] of optionValues(product)) {
    const found = values.flatMap((value) => {
      const m = new RegExp(valuePattern(key, value, values)).exec(text)
      return m ? [[m.index, value] as const] : []
    }).concat(valuesNotInCatalogue(text, values))
    if (found.length > 0) out.set(key, found.sort((a, b) => a[0] - b[0]).map(([, v]) => v))
  }
  return out
}

/**
 * Option values the customer mentioned, per option, in the order they said them: for each option the latest
 * message that names it wins ("I want 9 bar" after "8 bar" is not available), unless it only names the current
 * value after a wish for another ("It is the 15-inch, 32GB one" says which laptop, after "8GB").
 */
function mentionedValues(texts: string[], product: RetailProduct, current: RetailItem): Map<string, string[]> {
  const said = texts.map((t) => valuesIn(t, product))
  const out = new Map<string, string[]>()
  said.forEach((values, i) => {
    for (const [key, vals] of values) {
      const describesCurrent = vals.every((v) => v === current.options[key])
      const wishedBefore = said.slice(0, i).some((earlier) => (earlier.get(key) ?? []).some((v) => v !== current.options[key]))
      if (!(describesCurrent && wishedBefore)) out.set(key, vals)
    }
  })
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
export type VariantChoice = { variant: RetailVariant; alternatives?: RetailVariant[] } | { options: RetailVariant[]; closeMatch: boolean } | { none: true; limit?: number }

/** "If it is less than 200 bucks", "under $300": the price a new variant must stay below, when the customer set one. */
export function priceLimit(text: string): number | undefined {
  const m = /\b(?:less than|under|below|cheaper than|lower than)\s+(?:\$\s?(\d+(?:\.\d+)?)|(\d+(?:\.\d+)?)\s*(?:dollars|bucks|usd)\b)/i.exec(text)
  const said = m?.[1] ?? m?.[2]
  return said === undefined ? undefined : Number(said)
}

// Option values with an order but no number in them; numbers ("1000ml", "34 inch", "20MP", "1TB SSD") order the rest.
const scales = [['low', 'medium', 'high'], ['xs', 's', 'm', 'l', 'xl', 'xxl'], ['small', 'medium', 'large'], ['beginner', 'intermediate', 'expert']]

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
  [/\b(?:fewest|least|smallest number of) pieces\b/, () => ({ option: /pieces/, direction: -1, furthest: true })],
  [/\bmost pieces\b/, () => ({ option: /pieces/, direction: 1, furthest: true })],
  [/\b(?:easiest|simplest)\b/, () => ({ option: /difficulty/, direction: -1, furthest: true })],
  [/\b(?:hardest|most difficult|most challenging)\b/, () => ({ option: /difficulty/, direction: 1, furthest: true })],
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

/** The part of the request about this product ("…, and the desk lamp to a less bright one (prefer …)"), or '' when no part names it. */
export function clausesAbout(text: string, product: RetailProduct): string {
  return text.split(/(?<=[.;!?])\s+|,?\s+and\s+(?=(?:the|my|for)\b)/).filter((c) => namesProduct(c, product.name)).join(' ')
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

/** Whether an option value is one the customer's ranking lists. */
const ranked = (value: string, ranking: string[]): boolean => ranking.some((wanted) => squash(value).startsWith(wanted) || wanted.startsWith(squash(value)))

/** Of the variants, those with the best-ranked value the customer listed. */
function byRanking(variants: RetailVariant[], ranking: string[]): RetailVariant[] {
  for (const wanted of ranking) {
    const hit = variants.filter((v) => Object.values(v.options).some((val) => ranked(val, [wanted])))
    if (hit.length > 0) return hit
  }
  return variants
}

// "8 bar; if that is not possible, 9 bar", "red or else blue": several values of one option said as a fallback chain.
const fallback = /\b(?:if (?:that|this|it|[a-z0-9 ]{1,30}) (?:is not|isn t|are not|aren t) (?:possible|available)|otherwise|or else|else|if not)\b/

/** "i7 or above", "at least 16GB": the value and every value above it on the option's scale. */
function atLeast(text: string, value: string, values: string[]): string[] | undefined {
  const said = squash(value)
  if (!new RegExp(`\\b(?:at least ${escape(said)}|${escape(said)} (?:or|and) (?:above|higher|better|more|up))\\b`).test(text)) return undefined
  // "i7" and "i9" rank by their number.
  const rank = (v: string): number | undefined => rankOf(v) ?? Number(/\d+/.exec(v)?.[0] ?? Number.NaN)
  const from = rank(value)
  return from === undefined || Number.isNaN(from) ? undefined : values.filter((v) => (rank(v) ?? -1) >= from)
}

/** The options the customer keeps ("the same size", "keep the capacity and type", "want the material"). */
function keptOptions(text: string, current: RetailItem): string[] {
  return Object.keys(current.options).filter((k) =>
    new RegExp(`\\b(?:same|keep(?:ing)?\\b[a-z ]{0,25}?|want (?:the|my))\\s*${escape(squash(k))}\\b(?! to\\b| as\\b)`).test(text))
}

/** The options the customer does not care about ("do not care about waterproof or not"): any value will do. */
function freeOptions(text: string, current: RetailItem): string[] {
  return Object.keys(current.options).filter((k) => new RegExp(`\\b(?:do not|don t|does not|doesn t) (?:care|mind)\\b[a-z ]{0,20}?\\b${escape(squash(k))}\\b`).test(text))
}

/**
 * Each option's acceptable values, in the customer's order of preference: the values they named (other than
 * the current one when they name it too), the values "or above" one, or the current one for a kept option.
 */
interface OptionWishes {
  /** Each option's acceptable values, in the order the customer said them. */
  wanted: Map<string, string[]>
  /** Options whose values are a fallback chain: the first one some variant has is the wish. */
  chains: Set<string>
  /** Options whose values are all equally fine ("i7 or above"). */
  anyOf: Set<string>
}

/**
 * Each option's acceptable values: the values the customer named (other than the current one when they name
 * it too), the values "or above" one, or the current one for a kept option.
 */
function wantedValues(texts: string[], plain: string, product: RetailProduct, current: RetailItem, otherProducts: string[]): OptionWishes {
  const all = optionValues(product)
  const wanted = mentionedValues(texts.map((t) => squash(partAbout(t, product, otherProducts))), product, current)
  const chains = new Set<string>()
  const anyOf = new Set<string>()
  for (const [key, values] of wanted) {
    const others = values.filter((v) => v !== current.options[key])
    if (others.length > 0 && others.length < values.length) wanted.set(key, others)
    const raised = values.length === 1 ? atLeast(plain, values[0]!, all.get(key) ?? []) : undefined
    if (raised) {
      wanted.set(key, raised)
      anyOf.add(key)
    } else if (others.length > 1 && fallback.test(plain)) chains.add(key)
  }
  for (const k of keptOptions(plain, current)) wanted.set(k, [current.options[k] ?? ''])
  for (const k of freeOptions(plain, current)) wanted.delete(k)
  return { wanted, chains, anyOf }
}

/** The variants that fit every option wish; a fallback chain keeps only its first value that some variant has. */
function fitting(available: RetailVariant[], { wanted, chains }: OptionWishes): RetailVariant[] {
  let left = available.filter((v) => [...wanted].every(([key, values]) => values.includes(v.options[key] ?? '')))
  for (const key of chains) {
    const first = (wanted.get(key) ?? []).find((value) => left.some((v) => v.options[key] === value))
    left = left.filter((v) => v.options[key] === first)
  }
  return left
}

// Words after "for a …" that still ask for a variant ("for a new one", "for a bigger size", "to a two-piece black one").
const variantWords = new Set('one new different other another same similar better cheaper bigger smaller larger longer shorter size color colour version model variant option replacement refund pair small medium large two three four five six'.split(' '))

/**
 * "Change the luggage set for a coat": the thing asked for instead is no option of this product, so it is
 * another product, which an exchange or item change cannot give.
 */
export function otherProductWish(texts: string[], product: RetailProduct): string | undefined {
  const clauses = clausesAbout(texts.join(' '), product)
  const wish = /\b(?:for|to|into|with) (?:a|an|some) ([a-z]{3,})\b/i.exec(clauses)?.[1]?.toLowerCase()
  if (!wish || variantWords.has(wish) || namesProduct(wish, product.name)) return undefined
  const values = [...optionValues(product).values()].flat().map(squash)
  return values.some((v) => v.split(' ').includes(wish)) ? undefined : wish
}

/**
 * The variant of `product` the customer asks for instead of `current`: available, different, matching
 * every option value they mentioned and every relative wish they made ("a less bright one", "1000 more
 * pieces"), in the order of preference they gave, and otherwise as close to the current item as possible.
 * `texts` are the customer's messages, oldest first; `byPriceAllowed` lets "the cheapest" said of the
 * whole request choose (with several items it counts only where said of this product); `otherProducts` names
 * the products of the customer's other items, whose wishes a message may state beside this one's.
 */
export function chooseVariant(texts: string[], product: RetailProduct, current: RetailItem, byPriceAllowed = true, otherProducts: string[] = []): VariantChoice {
  const text = texts.join(' ')
  const clauses = clausesAbout(text, product)
  // A message naming no product ("I prefer i5 over i7", "if it is less than 200 bucks") is said of this one.
  const aboutThis = texts.map((t) => partAbout(t, product, otherProducts)).join(' ')
  const limit = priceLimit(aboutThis)
  const available = Object.values(product.variants).filter((v) => v.available && v.item_id !== current.item_id && (limit === undefined || v.price < limit))
  if (limit !== undefined && available.length === 0) return { none: true, limit }
  const about = squash((clauses || text).replace(/>/g, ' gt '))
  const preference = rankingIn(aboutThis)
  const ranking = preference?.ranking
  const unranked = preference ? texts.map((t) => t.replace(preference.said, ' ')) : texts
  const plain = squash(unranked.join(' '))
  const wishesByOption = wantedValues(unranked, plain, product, current, otherProducts)
  const { wanted: mentioned, chains, anyOf } = wishesByOption
  const free = new Set(freeOptions(plain, current))
  const wishes = relativeWishes.flatMap(([pattern, wish]) => {
    const m = pattern.exec(about)
    return m ? [wish(m)] : []
  })
  // "The 1000-piece intermediate jigsaw … the easiest one with fewest pieces": the current value describes the item, the wish changes it.
  for (const wish of wishes) {
    const described = Object.keys(current.options).find((k) => wish.option.test(squash(k)) && mentioned.get(k)?.join() === current.options[k])
    if (described) mentioned.delete(described)
  }
  let wanted = fitting(available, wishesByOption)
  let unreadWish = false
  for (const wish of wishes) {
    const key = Object.keys(current.options).find((k) => wish.option.test(squash(k)) && !mentioned.has(k))
    if (key) wanted = stepAlong(wanted, current, key, wish)
    else unreadWish = true
  }
  if (ranking) wanted = byRanking(wanted, ranking)
  const priceSaid = byPriceAllowed ? squash(text) : squash(clauses)
  const priced = byPrice(priceSaid, wanted)
  if (priced) return { variant: priced }
  if (mentioned.size === 0 && wishes.length === 0 && !ranking) return { options: available, closeMatch: true }
  if (wanted.length === 0) return { none: true }
  const same = (v: RetailVariant): number => Object.entries(current.options).filter(([k, val]) => !free.has(k) && v.options[k] === val).length
  const best = Math.max(...wanted.map(same))
  const closest = wanted.filter((v) => same(v) === best)
  const unmentioned = Object.keys(current.options).filter((k) => !mentioned.has(k) && !free.has(k)).length
  // A wish not read (two values of one option, a relative word for no option of this product) is offered, never chosen.
  const unread = [...mentioned].some(([key, values]) => values.length > 1 && !chains.has(key) && !anyOf.has(key)) || unreadWish || (wishes.length === 0 && relativeWish.test(about))
  if (unread) return { options: closest, closeMatch: false }
  const [only] = closest
  if (closest.length > 1 || !only) return { options: closest, closeMatch: best >= unmentioned }
  // "The 13-inch version" of an i7, 1TB laptop when one 13-inch keeps the i7 and another the 1TB: which to give
  // up is the customer's choice. A change no fitting variant avoids (a large bicycle only comes in red) is not.
  const addressed = new Set([...mentioned.keys(), ...free, ...wishes.flatMap((w) => Object.keys(current.options).filter((k) => w.option.test(squash(k)))),
    ...(ranking ? Object.keys(current.options).filter((k) => available.some((v) => ranked(v.options[k] ?? '', ranking))) : [])])
  const keepable = Object.keys(current.options).filter((k) => !addressed.has(k) && wanted.some((v) => v.options[k] === current.options[k]))
  if (!keepable.every((k) => only.options[k] === current.options[k])) return { options: wanted, closeMatch: false }
  // "A shorter bamboo one" fits three designs: the one keeping the current design is proposed, the others named beside it.
  const alternatives = wanted.filter((v) => v !== only)
  return alternatives.length > 0 ? { variant: only, alternatives } : { variant: only }
}

// ("One more thing" is no wish: "less" and "more" count only before a quality; "lower the pressure to 8 bar" names its value.)
const relativeWish = /\b(?:less|more) (?:bright|expensive|powerful|resolution|capacity|storage|memory|pieces|zoom)\b|\b(?:bigger|smaller|larger|lower|higher|brighter|dimmer|cheaper|slightly|shorter|longer)\b(?!(?: the [a-z]+)? to\b)|\b(?:easiest|hardest|fewest|smallest|largest|biggest|lightest|heaviest|longest|shortest|brightest|highest|lowest)\b/
