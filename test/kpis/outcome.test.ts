// One conversation's verdict at the edges: what counts as the customer saying so, a confirmation given before a
// reopening, abandonment timing, and a person still holding the conversation.
import { describe, expect, test } from 'bun:test'
import { DEFAULT_KPI_SETTINGS, judgeConversation, saysResolved, type ConversationFacts } from '../../kpis/index.ts'

const H = 3_600_000
const base: ConversationFacts = {
  id: 'c', agent: 'bot', channel: 'chat', customerId: 'cu', intent: 'order_status', mode: 'execute', segment: null, minConfidence: null, status: 'open',
  createdAt: 0, closedAt: null, reopenedAt: null, firstCustomerAt: 0, firstResponseAt: 1000, lastCustomerAt: 0,
  lastCustomerText: 'where is my order?', lastReplyAt: 1000, aiReplies: 1, humanReplies: 0, csat: null, escalation: null,
  nextSameIntentAt: null, nextAnyAt: null, cost: { modelUsd: 0, guardrailChecks: 0, workerS: 0, bytesStored: 0 }, qa: { reviews: 0, scoreSum: 0 },
}
const judge = (f: Partial<ConversationFacts>, now: number) => judgeConversation({ ...base, ...f }, now, DEFAULT_KPI_SETTINGS)

describe('the customer says so', () => {
  test.each(['Thanks, that worked!', 'Perfect, thanks', 'my issue is resolved', "That's all I needed", 'it fixed it, cheers'])('%p confirms', (t) => {
    expect(saysResolved(t)).toBe(true)
  })
  test.each(["that didn't work", 'it still has not worked', 'thanks but it is not resolved', 'where is my order?', 'thanks'])('%p does not', (t) => {
    expect(saysResolved(t)).toBe(false)
  })
})

describe('verdicts', () => {
  test('a confirmation made before the conversation was reopened does not count for the later close', () => {
    const f = { status: 'closed' as const, lastCustomerText: 'that worked', lastCustomerAt: H, reopenedAt: 2 * H, closedAt: 3 * H }
    expect(judge(f, 4 * H)).toMatchObject({ outcome: 'pending', reopened: true, missed: true })
    expect(judge(f, 3 * H + 72 * H)).toMatchObject({ outcome: 'resolved', confirmation: 'no_return' })
  })
  test('a return on the same intent inside 72 h undoes the close; one after it does not', () => {
    const f = { status: 'closed' as const, closedAt: H }
    expect(judge({ ...f, nextSameIntentAt: 50 * H }, 100 * H).outcome).toBe('unresolved')
    expect(judge({ ...f, nextSameIntentAt: 80 * H }, 100 * H)).toMatchObject({ outcome: 'resolved', durable: null })
    expect(judge({ ...f, nextSameIntentAt: 80 * H, nextAnyAt: 80 * H }, 200 * H)).toMatchObject({ outcome: 'resolved', durable: false })
  })
  test('silence after a reply is abandonment only after 24 h, and never while a person holds the conversation', () => {
    expect(judge({}, 23 * H).outcome).toBe('open')
    expect(judge({}, 25 * H)).toMatchObject({ outcome: 'abandoned', resolvedAt: null })
    expect(judge({ status: 'escalated' }, 25 * H).outcome).toBe('open')
    // the customer wrote last: the platform owes a reply, the customer did not walk away
    expect(judge({ lastCustomerAt: 2000 }, 25 * H).outcome).toBe('open')
  })
  test('a low CSAT overrides words of thanks; a positive one confirms', () => {
    const f = { status: 'closed' as const, closedAt: H, lastCustomerText: 'perfect, thanks' }
    expect(judge({ ...f, csat: { rating: 2, at: H } }, 2 * H)).toMatchObject({ outcome: 'unresolved', missed: true })
    expect(judge({ ...f, lastCustomerText: 'ok', csat: { rating: 4, at: H } }, 2 * H)).toMatchObject({ outcome: 'resolved', confirmation: 'csat' })
  })
})
