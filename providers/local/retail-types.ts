// The slices of τ²-bench retail tool results the local provider reads, with tolerant parsers: a tool
// result is untrusted text, so anything that does not look like an order or user is ignored.

export interface RetailItem {
  name: string
  item_id: string
  product_id: string
  price: number
  options: Record<string, string>
}

export interface RetailAddress {
  address1: string
  address2: string
  city: string
  state: string
  country: string
  zip: string
}

export interface RetailVariant {
  item_id: string
  options: Record<string, string>
  available: boolean
  price: number
}

export interface RetailProduct {
  name: string
  product_id: string
  variants: Record<string, RetailVariant>
}

export interface RetailOrder {
  order_id: string
  user_id: string
  status: string
  address?: RetailAddress
  items: RetailItem[]
  fulfillments: { tracking_id: string[]; item_ids: string[] }[]
  payment_history: { transaction_type: string; amount: number; payment_method_id: string }[]
}

export interface RetailPaymentMethod {
  id: string
  source: string
  brand?: string
  last_four?: string
  balance?: number
}

export interface RetailUser {
  user_id?: string
  name: { first_name: string; last_name: string }
  email: string
  address: RetailAddress
  payment_methods: Record<string, RetailPaymentMethod>
  orders: string[]
}

function parseJson(content: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(content)
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined
  } catch {
    return undefined
  }
}

/** An order from a tool result, or undefined when the text is not one. */
export function parseOrder(content: string): RetailOrder | undefined {
  const o = parseJson(content)
  if (!o || typeof o.order_id !== 'string' || typeof o.status !== 'string' || !Array.isArray(o.items)) return undefined
  return {
    order_id: o.order_id,
    user_id: typeof o.user_id === 'string' ? o.user_id : '',
    status: o.status,
    ...(typeof o.address === 'object' && o.address !== null ? { address: o.address as RetailAddress } : {}),
    items: o.items as RetailItem[],
    fulfillments: Array.isArray(o.fulfillments) ? (o.fulfillments as RetailOrder['fulfillments']) : [],
    payment_history: Array.isArray(o.payment_history) ? (o.payment_history as RetailOrder['payment_history']) : [],
  }
}

/** A user profile from a tool result, or undefined when the text is not one. */
export function parseUser(content: string): RetailUser | undefined {
  const u = parseJson(content)
  if (!u || typeof u.email !== 'string' || typeof u.name !== 'object' || u.name === null) return undefined
  return {
    ...(typeof u.user_id === 'string' ? { user_id: u.user_id } : {}),
    name: u.name as RetailUser['name'],
    email: u.email,
    address: (u.address ?? {}) as RetailAddress,
    payment_methods: (u.payment_methods ?? {}) as Record<string, RetailPaymentMethod>,
    orders: Array.isArray(u.orders) ? (u.orders as string[]) : [],
  }
}

/** A product with its variants from get_product_details, or undefined when the text is not one. */
export function parseProduct(content: string): RetailProduct | undefined {
  const p = parseJson(content)
  if (!p || typeof p.product_id !== 'string' || typeof p.name !== 'string' || typeof p.variants !== 'object' || p.variants === null) return undefined
  return { name: p.name, product_id: p.product_id, variants: p.variants as Record<string, RetailVariant> }
}
