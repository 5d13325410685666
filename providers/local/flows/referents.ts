// "I received two tablets and I only need one." … "I want to return the more expensive one": a request that
// names nothing the customer's orders hold but points back ("the more expensive one", "my current one") is
// about the products their message just before it named, even when that message was a request of its own, or else
// the one product of theirs the agent just spoke about.
import type { ConversationState } from '../state.ts'
import { namesProduct } from './items.ts'

const pointsBack = /\b(?:the|my|this|that|current|expensive|cheaper|cheapest|other|old|older|newer|first|second|last)\s+one\b/i

/** The state with the products pointed back to added to the request, when it points back to them. */
export function withReferents(state: ConversationState): ConversationState {
  const items = [...state.orders.values()].filter((o) => o.user_id === state.userId).flatMap((o) => o.items)
  const namedIn = (text: string): string[] => [...new Set(items.filter((i) => namesProduct(text, i.name)).map((i) => i.name))]
  const request = state.userTexts.join(' ')
  if (!pointsBack.test(request) || namedIn(request).length > 0 || state.entities.orderIds.length > 0 || state.entities.itemIds.length > 0) return state
  // Only the customer's last two messages before the request: further back is another conversation topic.
  const before = state.earlierUserTexts.slice(-2).reverse().map(namedIn).find((names) => names.length > 0)
  // "No available keyboard costs less than $200, so I cannot change your keyboard." "I want to return my current one":
  // else the one product of theirs the agent's message just spoke about.
  const spoken = namedIn(state.previousAssistantText)
  const about = before ?? (spoken.length === 1 ? spoken : undefined)
  return about ? { ...state, userTexts: [`About the ${about.join(' and ')}.`, ...state.userTexts] } : state
}
