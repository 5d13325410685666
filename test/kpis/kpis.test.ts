// KPIs over conversations written to a real Postgres with known timelines, every expected figure worked out by
// hand in the comments: confirmed resolutions only, abandoned and reopened apart, CSAT by who handled it, cost,
// escalation quality, durable resolution, times, and the breakdowns by type, maturity level and period.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { breakdownOf, computeKpis, DEFAULT_KPI_SETTINGS, judgeOutcomeRow, type KpiSettings } from '../../kpis/index.ts'
import { createKpiFacts, createKpiOutcomes } from '../../storage/index.ts'
import { createTestDatabase, type TestDatabase } from '../support/postgres.ts'
import { insertConversation, type FixtureConversation } from '../support/kpi-fixtures.ts'

const NOW = Date.parse('2026-06-10T12:00:00Z')
const DAY = 86_400_000
const reply = (atS: number) => ({ role: 'assistant' as const, atS })
const ask = (atS: number, text = 'where is my order?') => ({ role: 'customer' as const, atS, text })

// Rates chosen for round figures: a cent a guardrail check, a tenth of a cent a worker-second, a dollar a person-minute.
const settings: KpiSettings = {
  ...DEFAULT_KPI_SETTINGS, minutesPerReply: 2,
  cost: { guardrailCheckUsd: 0.01, workerSecondUsd: 0.001, gbStoredUsd: 0, humanHourUsd: 60, qaReviewMinutes: 10 },
}

const conversations: FixtureConversation[] = [
  // A: the customer says it worked (resolved at their message, 60 s); nobody came back within 7 days: durable.
  { id: 'A', customer: 'cu1', intent: 'order_status', createdAt: NOW - 10 * DAY, modelUsd: 0.02, guardrailChecks: 2,
    messages: [ask(0), reply(5), ask(60, 'Thanks, that worked!')], closedAtS: 120 },
  // B: closed, silent for more than 72 h: resolved by no return (30 s); too recent to judge durability.
  { id: 'B', customer: 'cu2', intent: 'return_item', createdAt: NOW - 5 * DAY, modelUsd: 0.01, messages: [ask(0), reply(10)], closedAtS: 30 },
  // C: closed, but the customer is back on the same intent an hour later (D): unresolved.
  { id: 'C', customer: 'cu3', intent: 'return_item', createdAt: NOW - 4 * DAY, messages: [ask(0), reply(10)], closedAtS: 20 },
  // D: the customer's return, confirmed in words at 40 s, and rated 5.
  { id: 'D', customer: 'cu3', intent: 'return_item', createdAt: NOW - 4 * DAY + 3_600_000, csat: 5,
    messages: [ask(0), reply(20), ask(40, 'Perfect, thanks')], closedAtS: 50 },
  // E: silent for two days after a reply, never closed: abandoned, never resolved.
  { id: 'E', customer: 'cu4', intent: 'order_status', createdAt: NOW - 2 * DAY, messages: [ask(0), reply(3)] },
  // F: closed, reopened an hour later ("still doesn't work"), closed again and rated 1: unresolved, reopened, missed.
  { id: 'F', customer: 'cu5', intent: 'order_status', createdAt: NOW - 6 * DAY, csat: 1,
    messages: [ask(0), reply(4), ask(3600, "it still doesn't work"), reply(3606)], closedAtS: 7200, reopenedAtS: 3600 },
  // G: handed off for a policy restriction; the person refunded (an action) in 10 minutes of handling; rated 4.
  { id: 'G', customer: 'cu6', intent: 'refund', createdAt: NOW - 3 * DAY, modelUsd: 0.03, csat: 4,
    messages: [ask(0), reply(2), { role: 'human_agent', atS: 100 }], closedAtS: 700, toolCallsAtS: [200],
    escalation: { atS: 10, category: 'policy_restriction', takenAtS: 70, resolvedAtS: 670, completeness: 0.8, packageMissing: ['order_id'],
      rating: { hadWhatNeeded: true, missing: [] } } },
  // H: handed off on low confidence; the person only wrote (needless); they had to ask for the order id the package
  // claimed to have (asked again); 5 minutes of handling; resolved by no return after 4 days.
  { id: 'H', customer: 'cu7', intent: 'order_status', createdAt: NOW - 4 * DAY,
    messages: [ask(0), reply(2), { role: 'human_agent', atS: 90 }], closedAtS: 400,
    escalation: { atS: 5, category: 'low_confidence', takenAtS: 65, resolvedAtS: 365, completeness: 0.6, packageMissing: [],
      rating: { hadWhatNeeded: false, missing: ['order_id'] } } },
  // I: an assist-mode conversation a person answered; closed a day ago: pending; one QA review (10 minutes) grading it
  // 0.8 where the intent model was unsure (0.4): automatic score and reviewer disagree.
  { id: 'I', customer: 'cu8', intent: 'order_status', mode: 'assist', createdAt: NOW - DAY, qaScore: 0.8, confidence: 0.4,
    messages: [ask(0), { role: 'human_agent', atS: 30 }], closedAtS: 60 },
  // M: rated 5 (resolved at its close, 60 s), but the customer came back 5 days later on billing (N): not durable.
  { id: 'M', customer: 'cu9', intent: 'order_status', createdAt: NOW - 20 * DAY, csat: 5, messages: [ask(0), reply(5)], closedAtS: 60 },
  // N: that new contact, left silent after the reply: abandoned.
  { id: 'N', customer: 'cu9', intent: 'billing', createdAt: NOW - 15 * DAY, messages: [ask(0), reply(5)] },
  // Neither another agent's nor another tenant's conversations count.
  { id: 'X', agent: 'other', customer: 'cu1', intent: 'order_status', createdAt: NOW - 2 * DAY, messages: [ask(0)] },
  { id: 'Y', tenant: 't2', customer: 'cu1', intent: 'order_status', createdAt: NOW - 2 * DAY, messages: [ask(0)] },
]

let db: TestDatabase
let facts: Awaited<ReturnType<ReturnType<typeof createKpiFacts>['read']>>
beforeAll(async () => {
  db = await createTestDatabase()
  for (const c of conversations) await insertConversation(db.sql, c)
  facts = await createKpiFacts(db.sql).read({ tenantId: 't1', agent: 'bot', from: new Date(NOW - 30 * DAY), to: new Date(NOW), now: new Date(NOW) })
})
afterAll(() => db.drop())

describe('an agent over 30 days', () => {
  test('resolution counts only confirmed resolutions; abandoned, pending and reopened apart', () => {
    const k = computeKpis(facts, NOW, settings).total
    // resolved A B D G H M; unresolved C F; abandoned E N; pending I → decided 10
    expect(k).toMatchObject({ conversations: 11, resolved: 6, resolvedByAi: 4, unresolved: 2, abandoned: 2, pending: 1, open: 0,
      reopened: 1, decided: 10, escalated: 2, confirmations: { customer: 2, csat: 2, noReturn: 2 } })
    expect(k.resolutionRate).toBe(0.6)
    expect(k.aiResolutionRate).toBe(0.4)
    expect(k.abandonmentRate).toBe(0.2)
    expect(k.escalationRate).toBeCloseTo(2 / 11, 12)
    // judged: A (durable) and M (customer back after 5 days) → 1 of 2
    expect(k.durable).toEqual({ rate: 0.5, judged: 2 })
  })

  test('CSAT by who handled it, with the response rate', () => {
    const { csat } = computeKpis(facts, NOW, settings).total
    // AI: A B C D E F M N, rated D 5, F 1, M 5; handed off: G (4), H; by a person: I
    expect(csat.ai.ratings).toBe(3)
    expect(csat.ai.average).toBeCloseTo(11 / 3, 12)
    expect(csat.ai.responseRate).toBe(3 / 8)
    expect(csat.handedOff).toEqual({ average: 4, ratings: 1, responseRate: 0.5 })
    expect(csat.human).toEqual({ average: null, ratings: 0, responseRate: 0 })
    expect(csat.average).toBe(3.75)
    expect(csat.responseRate).toBeCloseTo(4 / 11, 12)
  })

  test('cost per conversation and per resolution: model, guardrails, infrastructure, people', () => {
    const { cost } = computeKpis(facts, NOW, settings).total
    // model 0.02 + 0.01 + 0.03; guardrails 2 × 0.01; worker-seconds 5+10+10+20+3+(4+6)+2+2+5+5 = 72 × 0.001;
    // people: G 10 min + H 5 min + I's review 10 min = 25 min at 1 USD
    expect(cost.modelUsd).toBeCloseTo(0.06, 9)
    expect(cost.guardrailUsd).toBeCloseTo(0.02, 9)
    expect(cost.infrastructureUsd).toBeCloseTo(0.072, 9)
    expect(cost.humanUsd).toBeCloseTo(25, 9)
    expect(cost.totalUsd).toBeCloseTo(25.152, 6)
    expect(cost.perConversationUsd).toBeCloseTo(25.152 / 11, 6)
    expect(cost.perResolutionUsd).toBeCloseTo(25.152 / 6, 6)
  })

  test('escalation quality: ratings, completeness, needless, missed, asked again', () => {
    const { escalation } = computeKpis(facts, NOW, settings).total
    // needless: H of G, H; missed: F of the AI's closed A B C D F M; asked again: H of the two rated
    expect(escalation).toEqual({ ratings: 2, hadWhatNeededRate: 0.5, completenessAverage: expect.closeTo(0.7, 6) as never,
      needless: 1, needlessRate: 0.5, missed: 1, missedRate: 1 / 6, askedAgain: 1, askedAgainRate: 0.5 })
  })

  test('time to resolve, first response, human time saved, QA', () => {
    const k = computeKpis(facts, NOW, settings).total
    // resolve: 30 40 60 60 400 700 → p50 60, p90 400 + 0.5 × 300
    expect(k.timeToResolve).toEqual({ p50S: 60, p90S: 550 })
    // first response: 2 2 3 4 5 5 5 10 10 20 30 → p50 5, p90 20
    expect(k.firstResponse).toEqual({ p50S: 5, p90S: 20 })
    // AI replies: one each in A B C D E G H M N, two in F
    expect(k.humanTimeSaved).toEqual({ aiReplies: 11, minutes: 22 })
    expect(k.qa).toEqual({ reviews: 1, averageScore: expect.closeTo(0.8, 6) as never, calibration: { agreement: 0, pairs: 1 } })
  })
})

describe('breakdowns', () => {
  test('by conversation type and maturity level', () => {
    const { groups } = computeKpis(facts, NOW, settings, { groupBy: ['intent', 'mode'] })
    const of = (intent: string, mode: string) => groups.find((g) => g.key.intent === intent && g.key.mode === mode)!.kpis
    expect(groups.map((g) => `${g.key.intent}/${g.key.mode}:${g.kpis.conversations}`)).toEqual(
      ['billing/execute:1', 'order_status/assist:1', 'order_status/execute:5', 'refund/execute:1', 'return_item/execute:3'])
    // order_status in execute: A H M resolved, F unresolved, E abandoned
    expect(of('order_status', 'execute')).toMatchObject({ resolved: 3, unresolved: 1, abandoned: 1, resolutionRate: 0.6 })
    expect(of('order_status', 'assist')).toMatchObject({ pending: 1, resolutionRate: null })
    // return_item: B D resolved, C unresolved
    expect(of('return_item', 'execute').resolutionRate).toBeCloseTo(2 / 3, 12)
  })

  test('by month, with the trend between the last two', () => {
    const b = computeKpis(facts, NOW, settings, { period: 'month' })
    // May: M N A (A started on May 31) → 2 of 3; June: B D G H resolved, C F unresolved, E abandoned, I pending → 4 of 7
    expect(b.series!.map((s) => [s.period, s.kpis.conversations, s.kpis.resolved, s.kpis.decided])).toEqual([
      ['2026-05-01T00:00:00.000Z', 3, 2, 3], ['2026-06-01T00:00:00.000Z', 8, 4, 7]])
    expect(b.trend!.resolutionRate).toBeCloseTo(4 / 7 - 2 / 3, 12)
  })

  test('the same facts judged later: the pending one resolves once 72 h pass without a return', () => {
    const later = computeKpis(facts, NOW + 3 * DAY, settings).total
    expect(later).toMatchObject({ resolved: 7, pending: 0, confirmations: { noReturn: 3 } })
  })
})

describe('summed in SQL over the judged rows', () => {
  /** Numbers rounded to 9 places: SQL and JS add the same floats in other orders. */
  const rounded = (x: unknown): unknown => typeof x === 'number' ? Math.round(x * 1e9) / 1e9
    : Array.isArray(x) ? x.map(rounded) : x && typeof x === 'object' ? Object.fromEntries(Object.entries(x).map(([k, v]) => [k, rounded(v)])) : x

  test('gives the same figures as judging the facts in memory, overall, by type and level, and by month', async () => {
    const outcomes = createKpiOutcomes(db.sql)
    expect(await outcomes.sweep(new Date(NOW), (f) => judgeOutcomeRow(f, NOW, settings))).toBe(conversations.length)
    const q = { tenantId: 't1', agent: 'bot', from: new Date(NOW - 30 * DAY), to: new Date(NOW) }
    for (const options of [{}, { groupBy: ['intent', 'mode'] as const }, { period: 'month' as const }, { groupBy: ['intent'] as const, period: 'week' as const }]) {
      const summed = breakdownOf(await outcomes.aggregate({ ...q, ...options, groupBy: options.groupBy && [...options.groupBy] }), settings.minutesPerReply)
      const inMemory = computeKpis(facts, NOW, settings, { ...options, groupBy: options.groupBy && [...options.groupBy] })
      expect(rounded(summed)).toEqual(rounded(inMemory))
    }
  })
})
