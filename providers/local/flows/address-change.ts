// Changing a pending order's shipping address, or the customer's default address (retail policy). The
// new address is one the customer typed, another of their orders' ("the same as order #W…"), or, for an
// order, the default address on their profile. Every field is shown before the customer confirms.
import { formatAddress } from '../replies.ts'
import { parseUser, type RetailAddress } from '../retail-types.ts'
import type { ConversationState } from '../state.ts'
import { reply, type Step } from '../step.ts'
import { authenticate, loadUser } from './account.ts'
import { addressArgs, isComplete, parseAddress } from './address.ts'
import { confirmWrite } from './confirm-write.ts'
import { namesProduct } from './items.ts'
import { cityNames, someoneElsesAddress } from './order-clues.ts'
import { loadEveryOrder, loadOrder, resolveOrder, wrongStatus } from './order-lookup.ts'

const sameAsOrder = /\bsame (?:address )?as (?:the (?:address (?:of|on) )?)?(?:my )?(?:other )?order\s*(#?\s?W\d{7})/i
const saysDefault = /\b(?:my )?(?:default|profile|account|home) address\b|\baddress (?:on|in) (?:my )?(?:profile|account)\b/i
// "My default Chicago home", "the default Chicago one": the default address, where the words between name its city.
const defaultInCity = /\bdefault ((?:[a-z]+ ){1,2})(?:one|home|address)\b/i

/** Whether the customer asked for their default address (named by its city, that city must be the default's). */
function asksForDefault(state: ConversationState, home: RetailAddress | undefined): boolean {
  return state.userTexts.some((t) => saysDefault.test(t)) ||
    state.userTexts.some((t) => (defaultInCity.exec(t)?.[1] ?? '').toLowerCase().trim() === home?.city.toLowerCase())
}

/** The order whose address the customer points to ("the same as order #W…"), if they did. */
function referencedOrder(state: ConversationState): string | undefined {
  const m = [...state.userTexts].reverse().map((t) => sameAsOrder.exec(t)).find((x) => x)
  return m?.[1] ? `#W${m[1].replace(/\D/g, '')}` : undefined
}

const countryAnswer = (t: string): string | undefined =>
  /^\s*(?:it'?s |in |the )?(usa|us|u\.s\.a?\.?|united states(?: of america)?)\b/i.test(t) ? 'USA' : /^\s*([A-Z][a-z]+(?: [A-Z][a-z]+)?)\s*\.?\s*$/.exec(t)?.[1]

/** The latest address the customer typed in this task, completed by a later answer giving the country. */
function typedAddress(state: ConversationState): Partial<RetailAddress> | undefined {
  for (let i = state.userTexts.length - 1; i >= 0; i--) {
    const parsed = parseAddress(state.userTexts[i] ?? '')
    if (!parsed) continue
    const country = parsed.country ?? state.userTexts.slice(i + 1).map(countryAnswer).find((c) => c)
    return country ? { ...parsed, country } : parsed
  }
  return undefined
}

/**
 * "My NYC address", "the Washington DC address": one of the customer's known addresses (the default one, or an
 * order's) in the city they name, when exactly one other than the current one is there.
 */
function addressInNamedCity(state: ConversationState, current: RetailAddress | undefined): RetailAddress | undefined {
  const text = state.userTexts.join(' ').toLowerCase().replace(/[^a-z ]+/g, ' ').replace(/\s+/g, ' ')
  // Only an address named by its city ("my NYC address", "the Washington DC address", "address in Denver").
  const said = (city: string): boolean => {
    const names = [city.toLowerCase(), ...Object.entries(cityNames).filter(([, full]) => full === city.toLowerCase()).map(([short]) => short)]
    return names.some((n) => new RegExp(`\\b(?:my|the|to) ${n}(?: [a-z]+)? (?:address|home|place)\\b|\\baddress in ${n}\\b`).test(text))
  }
  const known = [state.user?.address, ...[...state.orders.values()].map((o) => o.address)].filter((a): a is RetailAddress => a !== undefined)
  const unique = [...new Map(known.map((a) => [formatAddress(a), a])).values()]
  const inCity = unique.filter((a) => said(a.city) && (!current || formatAddress(a) !== formatAddress(current)))
  return inCity.length === 1 ? inCity[0] : undefined
}

const saysOriginal = /\b(?:back to (?:the |my )?(?:original|previous|old)|to (?:the |my )?(?:original|previous) (?:one|address))\b|\bchange (?:it|that) back\b/i

/** "Change it back to the original address": the default address the profile had when this conversation first loaded it. */
function originalProfileAddress(state: ConversationState): RetailAddress | undefined {
  if (!state.userTexts.some((t) => saysOriginal.test(t)) || !state.outcomes.some((o) => o.ok && o.call.name === 'modify_user_address')) return undefined
  const first = state.outcomes.find((o) => o.ok && o.call.name === 'get_user_details')
  return first ? parseUser(first.content)?.address : undefined
}

// "I moved to a new house … and bought a luggage set sent to this new address": the new home is where the order
// holding what they bought was shipped.
const boughtForNewHome = /\bmov(?:ed|ing)\b[^.?!]*?\b(?:bought|ordered|got)\s+([^.?!]*?)\s+(?:sent|shipped|delivered)\s+(?:to\s+)?(?:there|this (?:new )?(?:address|house|home|place))\b/i
const boughtThere = (state: ConversationState): string | undefined => state.userTexts.map((t) => boughtForNewHome.exec(t)?.[1]).find((b) => b)

/**
 * The new home the customer points to by what they had sent there: the one address the orders holding it were
 * shipped to, loading their orders first; undefined when they point to none, or to several addresses.
 */
function newHome(state: ConversationState): RetailAddress | Step | undefined {
  const bought = boughtThere(state)
  if (!bought || !state.user) return undefined
  const load = loadEveryOrder(state)
  if (load) return load
  const there = state.user.orders.flatMap((id) => state.orders.get(id) ?? []).flatMap((o) => (o.address && o.items.some((i) => namesProduct(bought, i.name)) ? [o.address] : []))
  const distinct = [...new Map(there.map((a) => [formatAddress(a), a])).values()]
  return distinct.length === 1 ? distinct[0] : undefined
}

/** The new address, or a step that loads what it refers to or asks for it. */
function newAddress(state: ConversationState, profileAllowed: boolean, current?: RetailAddress): RetailAddress | Step {
  const original = originalProfileAddress(state)
  if (original) return original
  const typed = typedAddress(state)
  if (typed && isComplete(typed)) return typed
  const orders = [...state.orders.values()].filter((o) => o.user_id === state.userId)
  // "Sent to my son's address … change it to my default address": the default is the new one, not his.
  const wantsDefault = profileAllowed && state.userTexts.some((t) => saysDefault.test(t) || defaultInCity.test(t))
  const named = addressInNamedCity(state, current) ?? (wantsDefault ? undefined : someoneElsesAddress(state.userTexts.join(' '), orders, state.user?.address))
  if (named && !typed) return named
  const home = typed ? undefined : newHome(state)
  if (home) return home
  if (typed) return reply(`I have ${[typed.address1, typed.address2, typed.city, typed.state, typed.zip].filter((s) => s).join(', ')}. Which country is that in?`, 'need_address')
  const other = referencedOrder(state)
  if (other) {
    const order = loadOrder(state, other)
    if ('action' in order) return order
    if (order.address) return order.address
  }
  if (wantsDefault) {
    const load = loadUser(state)
    if (load) return load
    if (state.user && asksForDefault(state, state.user.address)) return state.user.address
  }
  return reply('What is the new address? Please give the street, any apartment or suite, the city, the state, the 5-digit post code and the country.', 'need_address')
}

// "My user address and all possible order addresses": one request for the profile and the orders alike.
const profileToo = /\b(?:and|also|as well as)\s+(?:also\s+)?(?:my|the)\s+(?:(?:user|default|profile|account)\s+){1,2}address\b/i
const ordersToo = /\b(?:user|default|profile|account) address\b[^.?!]{0,40}\b(?:and|also)\b[^.?!]{0,20}\border addresses\b/i
const profileChanged = (state: ConversationState): boolean => state.taskOutcomes.some((o) => o.ok && o.call.name === 'modify_user_address')

/** Whether the request covers the default address and the orders' addresses: each change is confirmed on its own. */
export const changesSeveralAddresses = (state: ConversationState): boolean =>
  state.userTexts.some((t) => profileToo.test(t) || ordersToo.test(t))

/** The default address first, then each pending order's, when the customer asked for both. */
export function changeAddresses(state: ConversationState, task: 'order' | 'profile'): Step {
  if (!changesSeveralAddresses(state)) return task === 'order' ? changeOrderAddress(state) : changeDefaultAddress(state)
  return profileChanged(state) ? changeOrderAddress(state) : changeDefaultAddress(state)
}

function changeOrderAddress(state: ConversationState): Step {
  // "Another order sent to the old address … to the new home": not an order already going to the new home.
  const home = boughtThere(state) ? (authenticate(state) ?? loadUser(state) ?? newHome(state)) : undefined
  if (home && 'action' in home) return home
  const atHome = home ? [...state.orders.values()].filter((o) => o.address && formatAddress(o.address) === formatAddress(home)).map((o) => o.order_id) : []
  const exclude = [referencedOrder(state) ?? '', ...atHome]
  const order = resolveOrder(state, { statuses: ['pending', 'pending (item modified)'], exclude, purpose: 'ship to a new address' })
  if ('action' in order) return order
  if (!order.status.startsWith('pending')) return wrongStatus(order, 'pending', 'given a new address')
  const address = newAddress(state, true, order.address)
  if ('action' in address) return address
  return confirmWrite(state, {
    tool: 'modify_pending_order_address',
    args: { order_id: order.order_id, ...addressArgs(address) },
    details: `To confirm, ship order ${order.order_id} to: ${formatAddress(address)}.`,
  })
}

function changeDefaultAddress(state: ConversationState): Step {
  // The profile is loaded first: its address before the change is what "change it back" returns to.
  const auth = authenticate(state) ?? loadUser(state)
  if (auth) return auth
  const address = newAddress(state, false, state.user?.address)
  if ('action' in address) return address
  return confirmWrite(state, {
    tool: 'modify_user_address',
    args: { user_id: state.userId, ...addressArgs(address) },
    details: `To confirm, make this the default address of your account ${state.userId}: ${formatAddress(address)}.`,
  })
}
