// What a customer who does not know the order id says about the order instead: its status ("my cancelled
// order"), where it was sent ("the order I sent to my son's address in Washington DC"), or which of two
// items of the same product it holds ("the 15-inch, 32GB one"; by price: items.ts, byComparedPrice). Each clue keeps
// the orders (or items) it fits; a clue that fits none, or all, says nothing and is ignored.
import type { RetailAddress, RetailItem, RetailOrder } from '../retail-types.ts'
import type { ConversationState } from '../state.ts'

const squash = (s: string): string => s.toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim()

/** Keeps what `fits` picks, unless it picks nothing: an unmatched clue is no reason to drop every candidate. */
export const keepFitting = <T>(list: T[], fits: (t: T) => boolean): T[] => {
  const picked = list.filter(fits)
  return picked.length > 0 ? picked : list
}

// The status a customer names, in their words: the first that the text says wins.
const statusWords: [RegExp, (status: string) => boolean][] = [
  [/\bpending\b/i, (s) => s.startsWith('pending')],
  [/\b(received|delivered|got)\b/i, (s) => s === 'delivered'],
  [/\bcancell?ed\b/i, (s) => s === 'cancelled'],
  [/\bprocessed\b/i, (s) => s === 'processed'],
  [/\breturned\b/i, (s) => s === 'return requested'],
]

/** The status the customer's words name, as a test of an order status; undefined when they name none. */
export const statusNamed = (text: string): ((status: string) => boolean) | undefined => statusWords.find(([words]) => words.test(text))?.[1]

/** "My pending order", "the tablet I received", "my cancelled order": the orders in the status named. */
export function byStatusNamed(text: string, orders: RetailOrder[]): RetailOrder[] {
  const named = statusNamed(text)
  return named ? keepFitting(orders, (o) => named(o.status)) : orders
}

// What customers call some cities.
export const cityNames: Record<string, string> = { nyc: 'new york', la: 'los angeles', dc: 'washington', sf: 'san francisco', philly: 'philadelphia' }

const sameAddress = (a: RetailAddress | undefined, b: RetailAddress | undefined): boolean =>
  a !== undefined && b !== undefined && squash(`${a.address1} ${a.zip}`) === squash(`${b.address1} ${b.zip}`)

const someone = 'son|daughter|kid|child|mom|mother|dad|father|parents?|wife|husband|partner|sister|brother|friend|grandma|grandmother|grandpa|grandfather|aunt|uncle|cousin|niece|nephew|boss|colleague'
const theirAddress = new RegExp(`\\b(?:${someone})'s (?:address|place|home|house)\\b`, 'i')
// "For my daughter", "to my son's address", "sent it to a friend": an order that went somewhere other than home.
const sentElsewhere = new RegExp(`\\b(?:for|to) (?:my|a|our) (?:${someone})\\b|${theirAddress.source}`, 'i')

/**
 * "Change my default address to my daughter's address": the one address the customer's orders were shipped to
 * other than their own, when they speak of someone else's address and there is exactly one.
 */
export function someoneElsesAddress(text: string, orders: RetailOrder[], home: RetailAddress | undefined): RetailAddress | undefined {
  if (!theirAddress.test(text) || !home) return undefined
  const elsewhere = orders.flatMap((o) => (o.address && !sameAddress(o.address, home) ? [o.address] : []))
  const distinct = [...new Map(elsewhere.map((a) => [squash(`${a.address1} ${a.zip}`), a])).values()]
  return distinct.length === 1 ? distinct[0] : undefined
}

/**
 * "Sent an order to my son's address in Washington DC": the orders shipped to a city the customer names
 * that is not their own, or, said of someone else, the orders not shipped to the account's address.
 */
export function byAddressNamed(text: string, orders: RetailOrder[], home: RetailAddress | undefined): RetailOrder[] {
  const said = ` ${squash(text)} `
  const names = (city: string): string[] => [squash(city), ...Object.entries(cityNames).filter(([, full]) => full === squash(city)).map(([short]) => short)]
  const inCity = (o: RetailOrder): boolean => o.address !== undefined && squash(o.address.city) !== squash(home?.city ?? '') &&
    names(o.address.city).some((n) => n.length >= 2 && said.includes(` ${n} `))
  if (orders.some(inCity)) return keepFitting(orders, inCity)
  return sentElsewhere.test(text) && home ? keepFitting(orders, (o) => o.address !== undefined && !sameAddress(o.address, home)) : orders
}

/**
 * What the customer said to tell items apart: their answer to a "which one" question, and any sentence of
 * the request about which one it is ("if you ask which laptop, it is 15-inch, 32GB"). Option values said
 * elsewhere in an exchange are the new item's, so they are not read here.
 */
function identifyingText(state: ConversationState): string {
  const answers = state.taskAnswers.filter((a) => /\bwhich (?:one|order|of)\b|\bmore than one\b/i.test(a.asked)).map((a) => a.answer)
  const sentences = state.userTexts.flatMap((t) => t.split(/(?<=[.!?])\s+/)).filter((s) => /\bwhich\b/i.test(s))
  return [...answers, ...sentences].join(' ')
}

/** How many of the item's option values the text names ("15-inch", "32GB", "robotic"). */
function valuesNamed(text: string, item: RetailItem): number {
  const said = ` ${squash(text)} `
  return Object.values(item.options).filter((v) => squash(v).length >= 2 && said.includes(` ${squash(v)} `)).length
}

/**
 * Of several items of one product (in one order or across orders), the ones the customer described by the
 * option values they named (most named wins); all of them when nothing tells them apart.
 */
export function describedItems(state: ConversationState, candidates: RetailItem[]): RetailItem[] {
  if (candidates.length < 2) return candidates
  const text = identifyingText(state)
  const most = Math.max(...candidates.map((i) => valuesNamed(text, i)))
  const picked = candidates.filter((i) => valuesNamed(text, i) === most)
  return most > 0 ? picked : candidates
}
