// Internal WRITE tools that the Operate-level workflows use as steps and compensations (notices, undoing
// a return request, billing disputes with gift card credits). Models are never offered them.
import { Type } from '@sinclair/typebox'
import { defineTool } from '../define.ts'
import type { Tx } from '../types.ts'
import { args, OrderId, PaymentMethodId, UserId } from './params.ts'
import { adjustGiftCard, lockedOrder, orderDoc, paymentMethod, refuse } from './store.ts'

const DisputeId = Type.String({ minLength: 1 })

export const notifyCustomer = defineTool({
  name: 'notify_customer',
  description: 'Email the customer a notice (queued in the outbox).',
  type: 'WRITE',
  internal: true,
  parameters: args({ user_id: UserId, subject: Type.String(), body: Type.String() }),
  async run({ user_id, subject, body }, { db }) {
    const [row] = await db<{ id: number }[]>`insert into retail_outbox (user_id, kind, payload)
      values (${user_id}, 'notice', ${db.json({ subject, body })}) returning id`
    return { queued: true, outboxId: row!.id }
  },
})

export const cancelReturnRequest = defineTool({
  name: 'cancel_return_request',
  description: 'Withdraw a return request: the order is delivered again (compensation for a failed refund workflow).',
  type: 'WRITE',
  internal: true,
  parameters: args({ order_id: OrderId }),
  async run({ order_id }, { db }) {
    const order = await lockedOrder(db, order_id)
    if (order.status !== 'return requested') refuse('Only a requested return can be withdrawn')
    await db`update retail_orders set status = 'delivered', return_items = null, return_payment_method_id = null
      where order_id = ${order_id}`
    return orderDoc(db, order_id)
  },
})

export const openBillingDispute = defineTool({
  name: 'open_billing_dispute',
  description: "Open a billing dispute on an order's charges.",
  type: 'WRITE',
  internal: true,
  parameters: args({ dispute_id: DisputeId, order_id: OrderId, reason: Type.String({ minLength: 1 }), amount: Type.Number({ exclusiveMinimum: 0 }) }),
  async run({ dispute_id, order_id, reason, amount }, { db }) {
    const order = await lockedOrder(db, order_id)
    const paid = order.payment_history.reduce((s, p) => s + (p.transaction_type === 'payment' ? p.amount : -p.amount), 0)
    if (amount > paid + 0.005) refuse(`Disputed amount exceeds the ${paid.toFixed(2)} paid for the order`)
    await db`insert into retail_disputes (dispute_id, order_id, user_id, reason, amount)
      values (${dispute_id}, ${order_id}, ${order.user_id}, ${reason}, ${amount})`
    return disputeDoc(db, dispute_id)
  },
})

export const creditDispute = defineTool({
  name: 'credit_dispute',
  description: "Credit a disputed amount to one of the user's gift cards, immediately.",
  type: 'WRITE',
  internal: true,
  parameters: args({ dispute_id: DisputeId, payment_method_id: PaymentMethodId }),
  async run({ dispute_id, payment_method_id }, { db }) {
    const dispute = await lockedDispute(db, dispute_id)
    if (dispute.status !== 'open' || dispute.credited > 0) refuse('Only an open, uncredited dispute can be credited')
    const method = await paymentMethod(db, dispute.user_id, payment_method_id)
    if (method.source !== 'gift_card') refuse('Dispute credits go to a gift card')
    await adjustGiftCard(db, method.id, dispute.amount)
    await db`update retail_disputes set credited = amount, credit_payment_method_id = ${method.id} where dispute_id = ${dispute_id}`
    return disputeDoc(db, dispute_id)
  },
})

export const reverseDisputeCredit = defineTool({
  name: 'reverse_dispute_credit',
  description: 'Take back a dispute credit from the gift card it went to (compensation).',
  type: 'WRITE',
  internal: true,
  parameters: args({ dispute_id: DisputeId }),
  async run({ dispute_id }, { db }) {
    const dispute = await lockedDispute(db, dispute_id)
    if (dispute.credited > 0 && dispute.credit_payment_method_id) {
      await adjustGiftCard(db, dispute.credit_payment_method_id, -dispute.credited)
      await db`update retail_disputes set credited = 0, credit_payment_method_id = null where dispute_id = ${dispute_id}`
    }
    return disputeDoc(db, dispute_id)
  },
})

export const closeBillingDispute = defineTool({
  name: 'close_billing_dispute',
  description: 'Close a billing dispute as resolved or withdrawn.',
  type: 'WRITE',
  internal: true,
  parameters: args({ dispute_id: DisputeId, outcome: Type.Union([Type.Literal('resolved'), Type.Literal('withdrawn')]) }),
  async run({ dispute_id, outcome }, { db }) {
    const dispute = await lockedDispute(db, dispute_id)
    if (dispute.status !== 'open') refuse(`Dispute is already ${dispute.status}`)
    await db`update retail_disputes set status = ${outcome} where dispute_id = ${dispute_id}`
    return disputeDoc(db, dispute_id)
  },
})

interface Dispute {
  dispute_id: string
  order_id: string
  user_id: string
  amount: number
  status: string
  credited: number
  credit_payment_method_id: string | null
}

async function lockedDispute(db: Tx, id: string): Promise<Dispute> {
  const [row] = await db<Dispute[]>`select dispute_id, order_id, user_id, amount, status, credited, credit_payment_method_id
    from retail_disputes where dispute_id = ${id} for update`
  return row ?? refuse('Dispute not found')
}

async function disputeDoc(db: Tx, id: string): Promise<Record<string, unknown>> {
  const [row] = await db`select dispute_id, order_id, user_id, reason, amount, status, credited, credit_payment_method_id
    from retail_disputes where dispute_id = ${id}`
  return { ...row }
}
