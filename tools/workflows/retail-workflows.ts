// The Operate-level workflows on the retail backend: refund (return with refund), account change
// (default address, carried to pending orders) and billing dispute (credit to a gift card after approval).
import type { Address, Order } from '../retail/store.ts'
import type { Workflow } from './engine.ts'

const money = (n: number) => `$${n.toFixed(2)}`

export interface RefundInput {
  orderId: string
  itemIds: string[]
  paymentMethodId: string
  /** Refunds above this ask for human approval. @defaultValue 200 */
  approvalAbove?: number
}
interface RefundState extends RefundInput {
  order?: Order
  amount: number
}

export const refundWorkflow: Workflow<RefundInput, RefundState> = {
  name: 'refund',
  init: (input) => ({ ...input, amount: 0 }),
  steps: [
    { kind: 'tool', name: 'load-order', tool: 'get_order_details', args: (s) => ({ order_id: s.orderId }), save: (s, [o]) => void (s.order = o as Order) },
    {
      kind: 'check',
      name: 'refundable',
      run(s) {
        if (s.order?.status !== 'delivered') return `order ${s.orderId} is ${s.order?.status}, not delivered`
        const prices = s.itemIds.map((id) => s.order!.items.find((i) => i.item_id === id)?.price)
        if (prices.some((p) => p === undefined)) return 'an item is not in the order'
        s.amount = Math.round(prices.reduce((a: number, p) => a + p!, 0) * 100) / 100
        return undefined
      },
    },
    { kind: 'confirm', name: 'customer-confirms', summary: (s) => `Return ${s.itemIds.length} item(s) of ${s.orderId} and refund ${money(s.amount)} to ${s.paymentMethodId}?` },
    { kind: 'approve', name: 'refund-approval', when: (s) => s.amount > (s.approvalAbove ?? 200), summary: (s) => `Refund of ${money(s.amount)} on ${s.orderId}`, details: (s) => ({ amount: s.amount }) },
    {
      kind: 'tool',
      name: 'request-return',
      tool: 'return_delivered_order_items',
      args: (s) => ({ order_id: s.orderId, item_ids: s.itemIds, payment_method_id: s.paymentMethodId }),
      compensate: (s) => ({ tool: 'cancel_return_request', args: { order_id: s.orderId } }),
    },
    {
      kind: 'tool',
      name: 'notify',
      tool: 'notify_customer',
      args: (s) => ({ user_id: s.order!.user_id, subject: `Return of ${s.orderId}`, body: `Your refund of ${money(s.amount)} is on its way once the items are back.` }),
    },
  ],
}

export interface AccountChangeInput {
  userId: string
  address: Address
  /** Also move pending orders to the new address. @defaultValue true */
  includePendingOrders?: boolean
}
interface AccountChangeState extends AccountChangeInput {
  oldAddress?: Address
  orderIds: string[]
  pending: Order[]
}

export const accountChangeWorkflow: Workflow<AccountChangeInput, AccountChangeState> = {
  name: 'account-change',
  init: (input) => ({ ...input, orderIds: [], pending: [] }),
  steps: [
    {
      kind: 'tool',
      name: 'load-user',
      tool: 'get_user_details',
      args: (s) => ({ user_id: s.userId }),
      save(s, [u]) {
        const user = u as { address: Address; orders: string[] }
        s.oldAddress = user.address
        s.orderIds = s.includePendingOrders === false ? [] : user.orders
      },
    },
    { kind: 'tool', name: 'load-orders', tool: 'get_order_details', args: (s) => s.orderIds.map((id) => ({ order_id: id })), save: (s, os) => void (s.pending = (os as Order[]).filter((o) => o.status.includes('pending'))) },
    { kind: 'confirm', name: 'customer-confirms', summary: (s) => `Change the address of ${s.userId} and ${s.pending.length} pending order(s) to ${formatAddress(s.address)}?` },
    {
      kind: 'tool',
      name: 'update-user',
      tool: 'modify_user_address',
      args: (s) => ({ user_id: s.userId, ...s.address }),
      compensate: (s) => ({ tool: 'modify_user_address', args: { user_id: s.userId, ...s.oldAddress } }),
    },
    {
      kind: 'tool',
      name: 'update-pending-orders',
      tool: 'modify_pending_order_address',
      args: (s) => s.pending.map((o) => ({ order_id: o.order_id, ...s.address })),
      compensate: (s, a) => ({ tool: 'modify_pending_order_address', args: { order_id: a.order_id, ...s.pending.find((o) => o.order_id === a.order_id)!.address } }),
    },
    { kind: 'tool', name: 'notify', tool: 'notify_customer', args: (s) => ({ user_id: s.userId, subject: 'Your address changed', body: `New address: ${formatAddress(s.address)}` }) },
  ],
}

export interface BillingDisputeInput {
  disputeId: string
  orderId: string
  reason: string
  amount: number
  /** The gift card the credit goes to. */
  giftCardId: string
}
interface BillingDisputeState extends BillingDisputeInput {
  userId?: string
}

export const billingDisputeWorkflow: Workflow<BillingDisputeInput, BillingDisputeState> = {
  name: 'billing-dispute',
  init: (input) => ({ ...input }),
  steps: [
    { kind: 'tool', name: 'load-order', tool: 'get_order_details', args: (s) => ({ order_id: s.orderId }), save: (s, [o]) => void (s.userId = (o as Order).user_id) },
    { kind: 'confirm', name: 'customer-confirms', summary: (s) => `Dispute ${money(s.amount)} on ${s.orderId} (${s.reason})?` },
    {
      kind: 'tool',
      name: 'open-dispute',
      tool: 'open_billing_dispute',
      args: (s) => ({ dispute_id: s.disputeId, order_id: s.orderId, reason: s.reason, amount: s.amount }),
      compensate: (s) => ({ tool: 'close_billing_dispute', args: { dispute_id: s.disputeId, outcome: 'withdrawn' } }),
    },
    // Every dispute credit is approved by a human; a policy may later narrow this with `when`.
    { kind: 'approve', name: 'credit-approval', summary: (s) => `Credit ${money(s.amount)} to ${s.giftCardId} for ${s.orderId}`, details: (s) => ({ amount: s.amount, reason: s.reason }) },
    {
      kind: 'tool',
      name: 'credit',
      tool: 'credit_dispute',
      args: (s) => ({ dispute_id: s.disputeId, payment_method_id: s.giftCardId }),
      compensate: (s) => ({ tool: 'reverse_dispute_credit', args: { dispute_id: s.disputeId } }),
    },
    { kind: 'tool', name: 'notify', tool: 'notify_customer', args: (s) => ({ user_id: s.userId!, subject: `Dispute on ${s.orderId}`, body: `${money(s.amount)} was credited to your gift card.` }) },
    // Resolved last: until then, a failure withdraws the dispute and takes the credit back.
    { kind: 'tool', name: 'resolve', tool: 'close_billing_dispute', args: (s) => ({ dispute_id: s.disputeId, outcome: 'resolved' }) },
  ],
}

function formatAddress(a: Address): string {
  return [a.address1, a.address2, a.city, a.state, a.zip, a.country].filter(Boolean).join(', ')
}
