// The Operate-level workflows: confirmation and approval hook points, exactly-once steps on rerun, and
// compensation of completed steps when a later step fails or a decision is refused.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'bun:test'
import { TerminalError } from '../../lib/errors.ts'
import {
  RETAIL_TOOLS,
  accountChangeWorkflow,
  billingDisputeWorkflow,
  defineTool,
  refundWorkflow,
  runWorkflow,
  type DecisionPoint,
  type FunctionTool,
  type WorkflowHooks,
} from '../../tools/index.ts'
import { createRetailFixture, type RetailFixture } from './support/retail-fixture.ts'

// The customer notice is the last step of each workflow: failing it on demand exercises compensation.
let failNotify = false
const realNotify = RETAIL_TOOLS.find((t) => t.name === 'notify_customer') as FunctionTool
const notify = defineTool({
  ...realNotify,
  run: async (args, ctx) => {
    if (failNotify) throw new TerminalError('tool.failed', 'mail relay rejected the notice')
    return realNotify.run(args, ctx)
  },
})

let fx: RetailFixture
beforeAll(async () => {
  fx = await createRetailFixture([...RETAIL_TOOLS.filter((t) => t !== realNotify), notify])
})
afterAll(async () => {
  await fx.close()
})
beforeEach(async () => {
  failNotify = false
  await fx.reset()
})

function hooks(answers: { confirm?: boolean; approve?: boolean } = {}): WorkflowHooks & { asked: DecisionPoint[] } {
  const asked: DecisionPoint[] = []
  return {
    asked,
    confirm: async (p) => (asked.push(p), answers.confirm ?? true),
    approve: async (p) => (asked.push(p), answers.approve ?? true),
  }
}
const options = (h: WorkflowHooks, runId: string = crypto.randomUUID()) => ({ executor: fx.executor, hooks: h, runId })
const order = async (id: string) => (await fx.sql`select status, return_items, address1 from retail_orders where order_id = ${id}`)[0]!
const notices = async () => (await fx.sql`select 1 from retail_outbox where kind = 'notice'`).length

// sophia_jackson_6355's delivered order; item 5222576926 cost 249.95, paid by credit_card_8041020.
const REFUND = { orderId: '#W4250821', itemIds: ['5222576926'], paymentMethodId: 'credit_card_8041020' }

describe('refund', () => {
  test('confirmed below the approval threshold: return requested, customer notified, no approval asked', async () => {
    const h = hooks()
    const run = await runWorkflow(refundWorkflow, { ...REFUND, approvalAbove: 500 }, options(h))
    expect(run.status).toBe('completed')
    expect(h.asked.map((p) => p.step)).toEqual(['customer-confirms'])
    expect(h.asked[0]!.summary).toContain('$249.95')
    expect(await order(REFUND.orderId)).toMatchObject({ status: 'return requested', return_items: ['5222576926'] })
    expect(await notices()).toBe(1)
  })

  test('rerunning a finished run replays every step: one return, one notice', async () => {
    const runId = 'refund-run-1'
    await runWorkflow(refundWorkflow, REFUND, options(hooks(), runId))
    const again = await runWorkflow(refundWorkflow, REFUND, options(hooks(), runId))
    expect(again.status).toBe('completed')
    expect(await notices()).toBe(1)
  })

  test('declined by the customer or rejected by a human: nothing changes', async () => {
    expect((await runWorkflow(refundWorkflow, REFUND, options(hooks({ confirm: false })))).status).toBe('declined')
    const h = hooks({ approve: false })
    const rejected = await runWorkflow(refundWorkflow, { ...REFUND, approvalAbove: 100 }, options(h))
    expect(rejected).toMatchObject({ status: 'rejected', failedStep: 'refund-approval', compensated: [] })
    expect(h.asked[1]).toMatchObject({ step: 'refund-approval', details: { amount: 249.95 } })
    expect(await order(REFUND.orderId)).toMatchObject({ status: 'delivered', return_items: null })
  })

  test('a failing later step withdraws the return request', async () => {
    failNotify = true
    const run = await runWorkflow(refundWorkflow, REFUND, options(hooks()))
    expect(run).toMatchObject({ status: 'failed', failedStep: 'notify', compensated: ['cancel_return_request'], compensationErrors: [] })
    expect(run.error?.message).toBe('mail relay rejected the notice')
    expect(await order(REFUND.orderId)).toMatchObject({ status: 'delivered', return_items: null })
  })

  test('an order that is not delivered fails the check before any confirmation', async () => {
    const h = hooks()
    const run = await runWorkflow(refundWorkflow, { ...REFUND, orderId: '#W8367380' }, options(h))
    expect(run).toMatchObject({ status: 'failed', failedStep: 'refundable' })
    expect(h.asked).toHaveLength(0)
  })
})

// ava_nguyen_6646 lives at 238 Oak Street; five of her six orders are pending, at four addresses.
const MOVE = { userId: 'ava_nguyen_6646', address: { address1: '9 New Road', address2: '', city: 'Reno', state: 'NV', country: 'USA', zip: '89501' } }

describe('account change', () => {
  test('moves the user and every pending order, after confirmation', async () => {
    const run = await runWorkflow(accountChangeWorkflow, MOVE, options(hooks()))
    expect(run.status).toBe('completed')
    expect(run.state.pending.map((o) => o.order_id)).toEqual(['#W8367380', '#W6272294', '#W1242543', '#W9232383', '#W9892465'])
    expect(await order('#W6272294')).toMatchObject({ address1: '9 New Road' })
    expect(await order('#W8668939')).toMatchObject({ address1: '238 Oak Street' }) // delivered: untouched
  })

  test('a failing later step puts the user and each order back at its own old address', async () => {
    failNotify = true
    const run = await runWorkflow(accountChangeWorkflow, MOVE, options(hooks()))
    expect(run.status).toBe('failed')
    expect(run.compensated).toHaveLength(6)
    const [user] = await fx.sql`select address1 from retail_users where user_id = ${MOVE.userId}`
    expect(user!.address1).toBe('238 Oak Street')
    expect(await order('#W8367380')).toMatchObject({ address1: '144 Elm Street' })
    expect(await order('#W1242543')).toMatchObject({ address1: '874 Cedar Avenue' })
  })
})

// ava_nguyen_6646's order #W8367380 (1003.22 paid) and her gift card holding 78.
const DISPUTE = { orderId: '#W8367380', reason: 'charged twice', amount: 50, giftCardId: 'gift_card_1994993' }
const dispute = async (id: string) => (await fx.sql`select status, credited from retail_disputes where dispute_id = ${id}`)[0]
const giftBalance = async () => (await fx.sql`select balance from retail_payment_methods where id = 'gift_card_1994993'`)[0]!.balance

describe('billing dispute', () => {
  test('approved: credited to the gift card and resolved', async () => {
    const h = hooks()
    const run = await runWorkflow(billingDisputeWorkflow, { ...DISPUTE, disputeId: 'd-1' }, options(h))
    expect(run.status).toBe('completed')
    expect(h.asked.map((p) => p.step)).toEqual(['customer-confirms', 'credit-approval'])
    expect(await dispute('d-1')).toEqual({ status: 'resolved', credited: 50 })
    expect(await giftBalance()).toBe(128)
  })

  test('rejected by the approver: the opened dispute is withdrawn, nothing credited', async () => {
    const run = await runWorkflow(billingDisputeWorkflow, { ...DISPUTE, disputeId: 'd-2' }, options(hooks({ approve: false })))
    expect(run).toMatchObject({ status: 'rejected', compensated: ['close_billing_dispute'] })
    expect(await dispute('d-2')).toEqual({ status: 'withdrawn', credited: 0 })
    expect(await giftBalance()).toBe(78)
  })

  test('a failure after the credit takes the credit back and withdraws the dispute', async () => {
    failNotify = true
    const run = await runWorkflow(billingDisputeWorkflow, { ...DISPUTE, disputeId: 'd-3' }, options(hooks()))
    expect(run).toMatchObject({ status: 'failed', failedStep: 'notify', compensated: ['reverse_dispute_credit', 'close_billing_dispute'] })
    expect(await dispute('d-3')).toEqual({ status: 'withdrawn', credited: 0 })
    expect(await giftBalance()).toBe(78)
  })

  test('a dispute id already taken is a terminal conflict, not a retry loop', async () => {
    await runWorkflow(billingDisputeWorkflow, { ...DISPUTE, disputeId: 'd-5' }, options(hooks()))
    const again = await runWorkflow(billingDisputeWorkflow, { ...DISPUTE, disputeId: 'd-5' }, options(hooks()))
    expect(again).toMatchObject({ status: 'failed', failedStep: 'open-dispute', error: { code: 'conflict', retryable: false } })
  })

  test('a disputed amount above what was paid fails at the open step', async () => {
    const run = await runWorkflow(billingDisputeWorkflow, { ...DISPUTE, amount: 5_000, disputeId: 'd-4' }, options(hooks()))
    expect(run).toMatchObject({ status: 'failed', failedStep: 'open-dispute' })
    expect(await dispute('d-4')).toBeUndefined()
  })
})
