// Which items of an order the customer means (item ids, or product names such as "the keyboard"), and
// which variant of a product they want instead (an item id, or the option values they mention).
import type { RetailItem, RetailOrder, RetailProduct, RetailVariant } from '../retail-types.ts'
import type { ConversationState } from '../state.ts'

const squash = (s: string): string => s.toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim()
const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

// Last words too generic to stand for their product on their own ("set" in "Dumbbell Set").
const vagueHeads = new Set(['set', 'kit', 'bed', 'mat'])

/** "Mechanical Keyboard" is named by its full name or its last word ("keyboard", "keyboards"). */
export function namesProduct(text: string, productName: string): boolean {
  const name = squash(productName)
  const head = name.split(' ').at(-1) ?? name
  const names = [name, name.replace(/ /g, ''), ...(vagueHeads.has(head) ? [] : [head])]
  return names.some((n) => n.length > 2 && new RegExp(`\\b${escape(n)}(?:e?s)?\\b`).test(squash(text)))
}

/** Items of the order named by id or by product name in the current task; all of them for "everything". */
export function namedItems(state: ConversationState, order: RetailOrder): RetailItem[] {
  const byId = order.items.filter((i) => state.entities.itemIds.includes(i.item_id))
  if (byId.length > 0) return byId
  const text = squash(state.userTexts.join(' '))
  const byName = order.items.filter((i) => namesProduct(text, i.name))
  if (byName.length > 0) return byName
  return state.entities.allItems ? order.items : []
}

/** Whether the customer named something this order holds (used to find the order they mean). */
export const holdsNamedItems = (state: ConversationState) => (order: RetailOrder): boolean => namedItems(state, order).length > 0

/** Item ids the customer gave that are not in the order: the new variants they want. */
export const newItemIds = (state: ConversationState, order: RetailOrder): string[] =>
  state.entities.itemIds.filter((id) => !order.items.some((i) => i.item_id === id))

// Option values mentioned in the text, per option name; a one-letter size needs the word "size" before it.
function mentionedValues(text: string, product: RetailProduct): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>()
  for (const v of Object.values(product.variants)) {
    for (const [key, value] of Object.entries(v.options)) {
      const val = squash(value)
      const pattern = val.length <= 2 ? `\\bsize ${escape(val)}\\b` : `\\b${escape(val)}\\b`
      if (val && new RegExp(pattern).test(text)) out.set(key, (out.get(key) ?? new Set()).add(value))
    }
  }
  return out
}

export type VariantChoice = { variant: RetailVariant } | { options: RetailVariant[] } | { none: true }

/**
 * The variant of `product` the customer asks for instead of `current`: available, different, matching
 * every option value they mentioned and otherwise as close to the current item as possible.
 */
export function chooseVariant(text: string, product: RetailProduct, current: RetailItem): VariantChoice {
  const available = Object.values(product.variants).filter((v) => v.available && v.item_id !== current.item_id)
  const mentioned = mentionedValues(squash(text), product)
  for (const [key, values] of mentioned) if (values.size > 1) values.delete(current.options[key] ?? '')
  const wanted = available.filter((v) => [...mentioned].every(([key, values]) => values.has(v.options[key] ?? '')))
  if (mentioned.size === 0 || wanted.length === 0) return mentioned.size === 0 ? { options: available } : { none: true }
  const same = (v: RetailVariant): number => Object.entries(current.options).filter(([k, val]) => v.options[k] === val).length
  const best = Math.max(...wanted.map(same))
  const closest = wanted.filter((v) => same(v) === best)
  return closest.length === 1 && closest[0] ? { variant: closest[0] } : { options: closest }
}
