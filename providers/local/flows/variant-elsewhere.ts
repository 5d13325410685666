// "Exchange the garden hose I received for the type in my pending order", "modify the grill to the same type
// as the one I already received": the new variant is the one of the same product in another of the
// customer's orders.
import type { RetailItem, RetailOrder, RetailProduct, RetailVariant } from '../retail-types.ts'
import type { ConversationState } from '../state.ts'
import { squash } from './items.ts'
import { statusNamed } from './order-clues.ts'
import { clausesAbout } from './variants.ts'

const typeInOrder = /\b(?:type|kind|model|version|variant|one)(?: that is| that s| which is)? (?:in|from) (?:my|the|another|the other) ([a-z ]{0,20}?)order\b/i
const sameAsOne = /\bsame (?:type|kind|model|version|one) as (?:the one|what|mine)\b([a-z ]{0,40})/i

/** The text without the words pointing at the other order: its status ("I already received") is not the changed order's. */
export const withoutVariantElsewhere = (text: string): string => text.replace(typeInOrder, ' ').replace(sameAsOne, ' ')

// An order received and since sent into an exchange or return (maybe earlier in this conversation) was still received.
const afterDelivery = /^(?:exchange|return) requested$/

/** That variant, when the customer points at it and exactly one other loaded order (in the status named) holds one. */
export function variantElsewhere(state: ConversationState, order: RetailOrder, item: RetailItem, product: RetailProduct): RetailVariant | undefined {
  const clause = squash(clausesAbout(state.userTexts.join(' '), product))
  const m = typeInOrder.exec(clause) ?? sameAsOne.exec(clause)
  if (!m) return undefined
  const status = statusNamed(m[1] ?? '')
  const held = new Set([...state.orders.values()]
    .filter((o) => o.order_id !== order.order_id && (!status || status(o.status) || (status('delivered') && afterDelivery.test(o.status))))
    .flatMap((o) => o.items.filter((i) => i.product_id === item.product_id && i.item_id !== item.item_id).map((i) => i.item_id)))
  const [only] = held
  return held.size === 1 && only ? product.variants[only] : undefined
}
