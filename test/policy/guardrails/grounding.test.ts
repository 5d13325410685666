// Grounding on the retail dialogues: their replies are grounded in their tool results and pass (the one
// reply that calls a delivered order "pending" is caught), the local provider's templates pass for every
// order and user in the shop, and invented discounts, statuses, amounts and dates are caught.
import { describe, expect, test } from 'bun:test'
import { checkGrounding, extractClaims } from '../../../policy/index.ts'
import { loadGroundedReplies, loadPolicyPassages } from '../../../bench/guardrails/corpora.ts'
import { evaluateGrounding, evaluateReplyTemplates } from '../../../bench/guardrails/evaluation.ts'

describe('checkGrounding', () => {
  test('the dialogues\' 503 replies pass, except the one that contradicts its tool result', () => {
    const g = evaluateGrounding()
    expect(g.dialogueReplies).toBe(503)
    expect(g.claims).toBeGreaterThan(700)
    expect(g.flaggedReasons).toEqual(['dialogue 33: unsupported: the status "pending" of #W5565470 is not what the tool results say'])

  }, 30_000)

  test('invented discounts, statuses, amounts and dates are caught (recall over 1,400 perturbed replies)', () => {
    const g = evaluateGrounding()
    expect(g.perturbations).toBeGreaterThan(1400)
    expect(g.recall).toBeGreaterThanOrEqual(0.99)
    expect(g.byKind.discount).toBe('502/502')
    expect(g.byKind.date).toBe('502/502')
    expect(g.byKind.status).toBe('283/283')

  }, 30_000)

  test('the local provider\'s reply templates are grounded for every order and user of the shop', () => {
    const t = evaluateReplyTemplates()
    expect(t.rendered).toBeGreaterThan(3000)
    expect(t.flagged).toBe(0)

  }, 30_000)

  test('a bereavement discount is regenerated once, then escalated; the grounded reply about the same order passes', () => {
    const order = loadGroundedReplies().find((g) => g.reply.includes('the total amount of $321.18'))!
    const invented = `${order.reply} Since this is a difficult time, I've applied our bereavement discount of 20%.`
    const first = checkGrounding(invented, order.context)
    expect(first.verdict).toBe('regenerate')
    expect(first.unsupported.map((u) => u.kind).sort()).toEqual(['offer', 'offer', 'percent']) // bereavement, discount, 20%
    expect(checkGrounding(invented, order.context, { attempt: 1 }).verdict).toBe('escalate')
    expect(checkGrounding(order.reply, order.context).verdict).toBe('allow')
  })

  test('refund timing must be the policy\'s: 5 to 7 business days passes, 2 to 3 does not', () => {
    const context = { toolResults: ['{"order_id": "#W1234567", "status": "cancelled"}'], passages: loadPolicyPassages() }
    expect(checkGrounding('Order #W1234567 is cancelled; the refund arrives in 5-7 business days.', context).verdict).toBe('allow')
    const fast = checkGrounding('Order #W1234567 is cancelled; the refund arrives in 2 to 3 business days.', context)
    expect(fast.unsupported.map((u) => u.text)).toEqual(['2 to 3 business days'])
  })

  test('the customer\'s words quoted back to them are no claim; words in quotes they never wrote are judged', () => {
    const asked = 'I want to return the kettle. Is the refund within 3 days? And what did the rest of the order cost?'
    const context = { toolResults: ['{"order_id": "#W1234567", "status": "return requested"}'], passages: loadPolicyPassages(), customerMessages: [asked] }
    const echo = 'The return is requested. You also asked: "Is the refund within 3 days? And what did the rest of the order cost?" Shall I go on?'
    expect(checkGrounding(echo, context)).toMatchObject({ verdict: 'allow', claims: 0 })
    const invented = checkGrounding('You also asked: "Is the refund within 2 days?" Shall I go on?', context)
    expect(invented.unsupported.map((u) => u.text)).toEqual(['2 days'])
    expect(checkGrounding('As you asked, "the refund arrives within 3 days".', context).verdict).toBe('regenerate')
  })

  test('claims are typed and tied to the order their sentence names', () => {
    const claims = extractClaims('Your order #W2378156 is "delivered". Tracking number: 970329203674. You paid $1,095.55.')
    expect(claims.map((c) => [c.kind, c.value, c.orderId ?? null])).toEqual([
      ['order_id', '#W2378156', null], ['status', 'delivered', '#W2378156'], ['identifier', '970329203674', null], ['money', '109555', null],
    ])
  })
})
