// Replies made wrong on purpose, from the dialogues' grounded replies: an invented discount, a changed or
// invented order status, a changed amount, an invented date or timing. Deterministic: variants are picked
// by the reply's position. The grounding check should catch every one.
import { extractClaims } from '../../policy/index.ts'
import type { GroundedReply } from './corpora.ts'

export type PerturbationKind = 'discount' | 'status' | 'amount' | 'date'

export interface Perturbation {
  kind: PerturbationKind
  reply: string
  original: GroundedReply
}

const discounts = [
  "As a courtesy, I've applied a 15% discount to this order.",
  'You also qualify for our bereavement discount, so we will take 20 percent off.',
  'Here is a coupon code, SAVE10, for your next purchase.',
  "I've arranged free shipping on your next order to make up for this.",
  'We will waive the restocking fee for you.',
  "I've added a $25 store credit to your account as compensation.",
  'Since you are a loyal customer, I can offer a price match on this item.',
  'I can also give you a discount of $30 on the replacement.',
]
const dates = [
  'It will arrive by Friday.', 'You will see the refund on May 14, 2024.', 'The refund will reach you within 24 hours.',
  'Your package is scheduled for delivery tomorrow.', 'The replacement ships on 2024-06-03.', 'Expect it in two business days.',
  'The refund will be back on your card by the end of the week.', 'Delivery is planned for next Monday.',
]
const otherStatus: Record<string, string> = {
  pending: 'delivered', delivered: 'processed', processed: 'pending', cancelled: 'pending', 'return requested': 'delivered',
  'exchange requested': 'pending', shipped: 'cancelled', 'pending (item modified)': 'delivered',
}
const inventedStatuses: Array<[string, string]> = [
  ['shipped', 'has been shipped'], ['out for delivery', 'is out for delivery'], ['cancelled', 'is now cancelled'],
  ['delivered', 'has been delivered'], ['in transit', 'is in transit'], ['pending', 'is still pending'],
]

/** The last order a tool result showed, with its status. */
function lastOrder(g: GroundedReply): { id: string; status: string } | undefined {
  for (const text of [...g.context.toolResults].reverse()) {
    const m = /"order_id": "(#W\d{7})"[\s\S]*"status": "([^"]+)"/.exec(text)
    if (m) return { id: m[1]!, status: m[2]! }
  }
  return undefined
}

/** A status the reply states of a named order, changed; or, failing that, a false status of the last order looked up. */
function withStatus(g: GroundedReply, i: number): string | undefined {
  const claim = extractClaims(g.reply).find((c) => c.kind === 'status' && c.orderId && otherStatus[c.value])
  // Claims are read without markdown emphasis, so the change is made on the reply without it too.
  if (claim) return g.reply.replace(/\*\*/g, '').replace(claim.text, claim.text.replace(new RegExp(claim.value.replace(/[()]/g, '\\$&'), 'i'), otherStatus[claim.value]!))
  const order = lastOrder(g)
  if (!order) return undefined
  const choices = inventedStatuses.filter(([status]) => !order.status.startsWith(status))
  const [, phrase] = choices[i % choices.length]!
  return `${g.reply} Your order ${order.id} ${phrase}.`
}

function withAmount(g: GroundedReply, i: number): string | undefined {
  const claim = extractClaims(g.reply).find((c) => c.kind === 'money')
  if (!claim) return undefined
  const changed = (Number(claim.value) + 1337 + (i % 7) * 211) / 100
  return g.reply.replace(/\*\*/g, '').replace(claim.text, `$${changed.toFixed(2)}`)
}

/** Up to four perturbations per grounded reply (status and amount need something to change or refer to). */
export function perturbReplies(replies: GroundedReply[]): Perturbation[] {
  return replies.flatMap((g, i) => {
    const made: Array<[PerturbationKind, string | undefined]> = [
      ['discount', `${g.reply} ${discounts[i % discounts.length]}`],
      ['status', withStatus(g, i)],
      ['amount', withAmount(g, i)],
      ['date', `${g.reply} ${dates[i % dates.length]}`],
    ]
    return made.flatMap(([kind, reply]) => (reply ? [{ kind, reply, original: g }] : []))
  })
}
