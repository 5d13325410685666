// The payment method a customer means, among the ones on their profile: by id, by last four digits, by kind
// ("my PayPal", "the gift card") when they hold exactly one of that kind, or by a card's brand ("the visa card");
// "the other card" said to a proposal asks for one other than the proposal's.
// A preference said "for both orders" holds for the later tasks too. Never a method not on file.
import { confirmMarker, describePaymentMethod } from '../replies.ts'
import type { RetailUser } from '../retail-types.ts'
import { extractEntities, type RetailEntities } from '../entities.ts'
import type { ConversationState } from '../state.ts'

const cardBrand = /\b(visa|mastercard|amex|discover)\b/i

export type NamedMethod = { id: string } | { unknown: string } | { ambiguous: string[] } | undefined

/** The method named in the current task (latest mention first), else one preferred for every order earlier. */
export function namedPaymentMethod(state: ConversationState, user: RetailUser): NamedMethod {
  return otherThanProposed(state, user) ?? methodNamedIn(state.entities, state.userTexts, user) ?? standingPreference(state, user)
}

const otherMethod = /\b(?:other|another|different) (?:card|credit card|gift card|payment method|method|payment)\b/i

/**
 * "I'd prefer the other card", said to a proposal settled through one method: not that method, so the proposal is
 * not shown again unchanged. Which one instead is the customer's to say: "the other" is read against the method
 * proposed, and the customer may mean another one than the agent would pick.
 */
function otherThanProposed(state: ConversationState, user: RetailUser): NamedMethod {
  if (!otherMethod.test(state.lastUserText) || !state.previousAssistantText.endsWith(confirmMarker)) return undefined
  const ids = Object.keys(user.payment_methods)
  const proposed = ids.filter((id) => state.previousAssistantText.includes(id))
  const others = ids.filter((id) => !proposed.includes(id))
  return proposed.length === 1 && others.length > 0 ? { ambiguous: others } : undefined
}

// "For both orders, I'd prefer the visa card": a preference for every order holds beyond the task it was said in.
const forEveryOrder = /\bfor (?:both|all|each|every)(?: of)?(?: my| the)? orders\b/i

function standingPreference(state: ConversationState, user: RetailUser): NamedMethod {
  const said = [...state.earlierUserTexts, ...state.userTexts].reverse().find((t) => forEveryOrder.test(t))
  return said ? methodNamedIn(extractEntities(said), [said], user) : undefined
}

/** The method the entities of some customer messages name: by id, last four digits, kind, or a card's brand. */
function methodNamedIn(e: RetailEntities, texts: string[], user: RetailUser): NamedMethod {
  const methods = Object.entries(user.payment_methods)
  const id = e.paymentMethodIds[0]
  if (id) return user.payment_methods[id] ? { id } : { unknown: id }
  const four = e.lastFour
  const byFour = four ? methods.filter(([, m]) => m.last_four === four) : []
  if (byFour[0]) return { id: byFour[0][0] }
  const kind = e.paymentKinds[0]
  if (!kind) return undefined
  const ofKind = methods.filter(([, m]) => m.source === kind).map(([k]) => k)
  if (ofKind.length === 1 && ofKind[0]) return { id: ofKind[0] }
  // "The visa card" of a visa and a mastercard: the brand the customer named last.
  const brand = [...texts].reverse().map((t) => cardBrand.exec(t)?.[1]?.toLowerCase()).find((b) => b)
  const ofBrand = ofKind.filter((k) => user.payment_methods[k]?.brand?.toLowerCase() === brand)
  if (ofBrand.length === 1 && ofBrand[0]) return { id: ofBrand[0] }
  return ofKind.length === 0 ? { unknown: kind.replace('_', ' ') } : { ambiguous: ofKind }
}

/** The customer's methods as a list they can choose from. */
export const methodChoices = (user: RetailUser, ids: string[] = Object.keys(user.payment_methods)): string =>
  ids.map((id) => describePaymentMethod(id, user.payment_methods[id])).join('; ')
