// "Exchange the tablet for the same item, but if that is not possible just return it": an exchange request that
// names a return as its fallback. When the exchange flow cannot give what was asked for, the return is proposed
// instead (with its own confirmation); without a fallback said, the exchange flow's question stands.
import type { ConversationState } from '../state.ts'
import type { Step } from '../step.ts'
import { changeItems } from './item-change.ts'
import { returnOrder } from './return.ts'

// "If it is not available just return it", "if you can't exchange it, return it", "otherwise return them".
const returnFallback = /\b(?:if (?:it|that|this|they|the \w+)(?:'s| is| are|'re)? (?:not|un)[a-z -]{0,12}(?:available|possible)|if (?:you )?(?:can(?:no|')t|cannot|are unable to)\b[^.?!]*?|otherwise|or else)[^.?!]*?\breturn (?:it|them)\b/i

// The exchange flow's answers that mean the wish as said cannot be met.
const unmet = new Set(['need_new_item', 'nothing_to_change'])

const lead = 'I cannot make that exchange: an item can only be exchanged for a different option of the same product that is available. As you asked, I can return it instead.'

/** The exchange flow, or the return the customer asked for should the exchange not be possible. */
export function exchangeOrReturn(state: ConversationState): Step {
  const exchange = changeItems(state)
  if (exchange.action !== 'reply' || !unmet.has(exchange.reason) || !state.userTexts.some((t) => returnFallback.test(t))) return exchange
  const instead = returnOrder(state)
  return instead.action === 'reply' && instead.reason.startsWith('confirm:') ? { ...instead, text: `${lead} ${instead.text}` } : instead
}
