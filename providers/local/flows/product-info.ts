// Product and variant questions (availability, price, options), answered from get_product_details only;
// a product named in words is looked up in list_all_product_types first. Needs no authentication.
import { anythingElse } from '../replies.ts'
import type { RetailProduct } from '../retail-types.ts'
import { findOutcome, type ConversationState } from '../state.ts'
import { callTool, reply, type Step } from '../step.ts'
import { namesProduct } from './items.ts'

function productIdAsked(state: ConversationState): string | Step | undefined {
  const id = state.entities.productIds[0]
  if (id) return id
  if (!state.productTypes) {
    return findOutcome(state, 'list_all_product_types', {}) ? undefined : callTool('list_all_product_types', {}, 'list_products')
  }
  const text = state.userTexts.join(' ').toLowerCase().replace(/[^a-z0-9]+/g, ' ')
  const named = Object.entries(state.productTypes).filter(([name]) => namesProduct(text, name))
  return named.at(-1)?.[1]
}

function productReply(product: RetailProduct, text: string): string {
  const variants = Object.values(product.variants)
  const available = variants.filter((v) => v.available).sort((a, b) => a.price - b.price)
  const listed = available.map((v) => `${Object.values(v.options).join(', ')}: $${v.price.toFixed(2)} (item ${v.item_id})`).join('; ')
  const cheapest = /\bcheap(est)?\b|\blowest price\b/i.test(text) && available[0] ? ` The cheapest available is item ${available[0].item_id} at $${available[0].price.toFixed(2)}.` : ''
  return `${product.name} (product ${product.product_id}) has ${variants.length} variants, ${available.length} of them available now: ${listed || 'none'}.${cheapest} ${anythingElse}`
}

export function productInfo(state: ConversationState): Step {
  const id = productIdAsked(state)
  if (typeof id === 'object') return id
  if (!id) return reply(`Which product do you mean? ${state.productTypes ? `We sell: ${Object.keys(state.productTypes).join(', ')}.` : ''}`.trim(), 'need_product')
  const product = state.products.get(id)
  if (product) return reply(productReply(product, state.userTexts.join(' ')), 'product_info')
  if (findOutcome(state, 'get_product_details', { product_id: id })) return reply(`I could not find product ${id}. Could you check the product id or name?`, 'need_product')
  return callTool('get_product_details', { product_id: id }, 'load_product')
}
