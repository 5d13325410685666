// The pure parts of a handoff: the reason category of every code, the customer's sentiment, the extractive summary
// and what a waiting customer is told about the wait.
import { describe, expect, test } from 'bun:test'
import { customerSentiment } from '../../actors/escalation/sentiment.ts'
import { summarize } from '../../actors/escalation/summary.ts'
import { holdingMessage } from '../../actors/escalation/queue-routing.ts'
import { reasonCategory } from '../../lib/handoff-reasons.ts'

describe('reason categories', () => {
  test.each([
    ['agent.escalated', 'customer_requested_human', 'customer_asked'],
    ['agent.escalated', 'unsupported_intent:complaint', 'unsupported_request'],
    ['agent.escalated', 'tool_unavailable:get_order_details', 'unsupported_request'],
    ['agent.escalated', 'tool_failed:cancel_pending_order', 'tool_failure'],
    ['agent.escalated', 'something the model made up', 'low_confidence'],
    ['agent.step_limit', 'no answer after 6 model steps', 'low_confidence'],
    ['guardrail.escalated', 'the message tries to change the agent instructions', 'guardrail'],
    ['budget.exhausted', 'spent', 'budget'],
    ['tool.timeout', null, 'tool_failure'],
    ['provider.unavailable', 'all models down', 'system_failure'],
    ['no.such.code', null, 'system_failure'],
  ])('%s (%s) is %s', (code, detail, category) => {
    expect(reasonCategory(code, detail)).toBe(category as ReturnType<typeof reasonCategory>)
  })
})

describe('sentiment', () => {
  test('anger, negation and where it is heading', () => {
    expect(customerSentiment([])).toEqual({ score: 0, label: 'neutral', trend: 'steady' })
    expect(customerSentiment(['Thanks, that was really helpful!']).label).toBe('positive')
    expect(customerSentiment(['This is not good at all']).label).toBe('negative')
    expect(customerSentiment(['Hi, where is my order?', 'STILL NOTHING, THIS IS RIDICULOUS!!'])).toMatchObject({ label: 'negative', trend: 'worsening' })
    expect(customerSentiment(['This is terrible', 'ok thanks, great, that fixed it']).trend).toBe('improving')
  })
})

describe('summary', () => {
  test('quotes the opening request and the most telling sentences, in order, then the actions and the reason', () => {
    const text = summarize(
      ['Hi there. My order #W123 arrived damaged.', 'The lamp in order #W123 is broken.', 'ok', 'I want a refund for the broken lamp.'],
      [{ tool: 'get_order_details', arguments: {}, ok: true, outcome: '{}', turnId: 't1' }],
      'Approval needed',
    )
    expect(text).toBe('Customer: "Hi there." "My order #W123 arrived damaged." "The lamp in order #W123 is broken." ' +
      'The AI agent ran get_order_details (ok). Handed over: Approval needed.')
    expect(summarize([], [], 'Platform failure')).toBe('The customer has not written yet. The AI agent took no action. Handed over: Platform failure.')
  })
})

describe('holding message', () => {
  test('the queue\'s history when it has one, its target when it has none, and an apology when it is late', () => {
    expect(holdingMessage({ ahead: 0, available: 0, medianWaitS: null }, 300, false))
      .toBe("You're next in line for our support team. No one from the team is available this moment; we aim to reply within about 5 minutes. You'll get the answer here.")
    expect(holdingMessage({ ahead: 2, available: 1, medianWaitS: 120 }, 300, false))
      .toBe("There are 2 people ahead of you. The expected wait is about 6 minutes. You'll get the answer here.")
    expect(holdingMessage({ ahead: 1, available: 3, medianWaitS: null }, 600, false))
      .toBe("There is 1 person ahead of you. We aim to reply within about 10 minutes. You'll get the answer here.")
    expect(holdingMessage({ ahead: 0, available: 2, medianWaitS: 60 }, 300, true)).toContain('taking longer than we aim for')
  })
})
