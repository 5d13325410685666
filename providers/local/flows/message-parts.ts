// One message, several items: "I want to exchange the helmet for a medium sized, red one I want to exchange the
// luggage set to a two-piece black one" states each item's wish in its own part.
import { namesProduct } from './items.ts'
import type { RetailProduct } from '../retail-types.ts'

const parts = /(?<=[.;!?])\s+|,?\s+and\s+(?=(?:the|my|for)\b)|,?\s+(?:and\s+)?(?=i (?:want|would like|need) to\b)/i

/**
 * The parts of `text` about `product`: a part naming it, and the parts after it that name no product ("… and I
 * want to exchange it to i7"), leaving out the parts about the other products. A text naming neither is kept whole.
 */
export function partAbout(text: string, product: RetailProduct, otherProducts: string[]): string {
  const others = otherProducts.filter((name) => name !== product.name)
  if (others.length === 0) return text
  let owner: 'this' | 'other' | undefined
  const kept = text.split(parts).filter((part) => {
    if (namesProduct(part, product.name)) owner = 'this'
    else if (others.some((name) => namesProduct(part, name))) owner = 'other'
    return owner !== 'other'
  })
  return kept.join(' ')
}
