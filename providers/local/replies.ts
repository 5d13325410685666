// Reply templates. Every fact in a reply comes from a tool result or the retail policy text; the
// templates add wording only, never facts (the grounding guardrail checks exactly this).
import type { RetailAddress, RetailItem, RetailOrder, RetailPaymentMethod, RetailUser } from './retail-types.ts'

/**
 * The phrase that ends a confirmation request; a later "yes" only counts as consent after it. A question, and
 * the platform's wording for one (`reply "yes"`), so the answer to it is never judged as a new request.
 */
export const confirmMarker = 'Shall I go ahead? Please reply "yes" to confirm.'

/** Ends every finished task: the customer's next message starts a new one. */
export const anythingElse = 'Let me know if there is anything else I can help you with.'
/**
 * Ends a refusal that offers the one thing policy allows instead ("I cannot cancel a single item … Would you like to
 * cancel the whole order instead?"): only a yes keeps the request open; anything else leaves it refused.
 */
export const refusalOffer = 'Would you like to cancel the whole order instead?'
/**
 * Ends a choice between two of the customer's own requests that cannot both be done; the answer ("the exchange")
 * chooses within the task in hand, it opens no new one.
 */
export const choiceQuestion = 'Which would you prefer?'
/** Ends a greeting or a verification without a request yet. */
export const howCanIHelp = 'What can I help you with today?'

export const escalationText =
  'I am passing this conversation to a human agent, who will have the full context and take it from here. Please hold on.'

/** A message about the customer's orders or our products that asks for nothing we can tell. */
export const askWhatToDo =
  'I can help with your orders: checking an order, cancelling or changing a pending order, or returning or exchanging delivered items. What would you like to do?'

export const askToAuthenticate =
  'I can help with that. First I need to verify your identity: please share the email address on your account, or your first and last name together with your zip code.'

const money = (n: number): string => `$${n.toFixed(2)}`

function describeItem(item: RetailItem): string {
  const options = Object.values(item.options ?? {}).join(', ')
  return `${item.name}${options ? ` (${options})` : ''}, item ${item.item_id}, ${money(item.price)}`
}

export const describeItems = (items: RetailItem[]): string => items.map(describeItem).join('; ')

/** How a payment method is named to the customer: no full numbers, only what the tool returned. */
export function describePaymentMethod(id: string, method?: RetailPaymentMethod): string {
  if (method?.source === 'credit_card' && method.last_four) return `${method.brand ?? 'credit'} card ending ${method.last_four} (${id})`
  if (method?.source === 'gift_card' && method.balance !== undefined) return `gift card ${id} (balance ${money(method.balance)})`
  return id
}

/** Refund timing from the policy: a gift card immediately, anything else in 5 to 7 business days. */
export function refundTiming(paymentMethodId: string): string {
  return paymentMethodId.startsWith('gift_card_') ? 'immediately' : 'within 5 to 7 business days'
}

// What the status means for the customer, after "Your order … is <status>." (so the status is not said twice).
const statusNotes: Record<string, string> = {
  pending: 'It can still be modified or cancelled.',
  processed: 'It is being prepared for shipping, so it can no longer be cancelled or modified.',
  delivered: 'Its items can be returned or exchanged.',
}

/** "How much did I pay for it?": each payment and refund of the order, as the tool recorded it. */
export const transactions = (order: RetailOrder): string =>
  order.payment_history.map((p) => `${p.transaction_type === 'refund' ? 'refunded' : 'paid'} ${money(p.amount)} ${p.transaction_type === 'refund' ? 'to' : 'with'} ${p.payment_method_id}`).join('; ')

export function orderStatusReply(order: RetailOrder): string {
  const tracking = order.fulfillments.flatMap((f) => f.tracking_id ?? [])
  const paid = transactions(order)
  return [
    `Your order ${order.order_id} is ${order.status}.`,
    statusNotes[order.status] ?? '',
    `It contains: ${describeItems(order.items)}.`,
    paid ? `Payments: ${paid}.` : '',
    tracking.length > 0 ? `Tracking number${tracking.length > 1 ? 's' : ''}: ${tracking.join(', ')}.` : '',
  ].filter((s) => s !== '').join(' ')
}

export function ordersListReply(user: RetailUser): string {
  if (user.orders.length === 0) return 'I could not find any orders on your account.'
  return `I found these orders on your account: ${user.orders.join(', ')}. Which one do you mean?`
}

/** An address as one line, every field the tool returned. */
export function formatAddress(a: RetailAddress): string {
  return [a.address1, a.address2, a.city, `${a.state} ${a.zip}`.trim(), a.country].filter((s) => s).join(', ')
}

export function profileReply(user: RetailUser): string {
  const address = formatAddress(user.address)
  const methods = Object.entries(user.payment_methods).map(([id, m]) => describePaymentMethod(id, m))
  return [
    `Here is what is on your account, ${user.name.first_name}: email ${user.email}; default address ${address};`,
    `payment methods: ${methods.join(', ') || 'none'}; orders: ${user.orders.join(', ') || 'none'}.`,
    anythingElse,
  ].join(' ')
}

/** Password help: the local provider cannot see or change passwords, so it points to the reset flow. */
export function passwordReply(user: RetailUser, resetInstructions: string): string {
  return `Thanks, ${user.name.first_name}, I have verified your account. The sign-in email on it is ${user.email}. ${resetInstructions}`
}
