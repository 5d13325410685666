// Grading of one trial from its evidence (pure), and the promotion gate's decision from a suite summary and KPIs.
import { describe, expect, test } from 'bun:test'
import {
  compileNlAssertion, decideDemotion, decidePromotion, gradeTrial, loadRetailTasks, parseRunSpec, readFloors, taskScenario, type ConfigSummary,
} from '../../arena/index.ts'
import type { ConversationEvidence } from '../../storage/index.ts'

const tasks = await loadRetailTasks()
const evidence = (over: Partial<ConversationEvidence> = {}): ConversationEvidence => ({
  transcript: [], toolCalls: [], decisions: [], requested: [], escalated: false, groundingFailures: 0, costUsd: 0, inputTokens: 0, outputTokens: 0, modelCalls: 0, ...over,
})
const played = { latencyMs: [10], turns: 1 }

describe('grading a task', () => {
  const task0 = taskScenario(tasks.find((t) => t.id === '0')!)
  const exchange = task0.task.evaluation_criteria!.actions.at(-1)!

  test('passes when the final state matches the gold actions\'; a write outside them is a wrong write', () => {
    const swapped = { ...exchange.arguments, item_ids: [...(exchange.arguments.item_ids as string[])].reverse() }
    const ok = gradeTrial(task0, { ...played, digest: 'a', goldDigest: 'a', evidence: evidence({ toolCalls: [{ tool: exchange.name, args: swapped, ok: true }] }) })
    expect(ok).toMatchObject({ success: true, dbMatch: true, wrongWrites: [], violations: { caught: 0, missed: 0 }, escalation: 'none' })
    const cancel = { tool: 'cancel_pending_order', args: { order_id: '#W1', reason: 'no longer needed' }, ok: true }
    const bad = gradeTrial(task0, { ...played, digest: 'b', goldDigest: 'a', evidence: evidence({ toolCalls: [cancel], escalated: true }) })
    expect(bad).toMatchObject({ success: false, dbMatch: false, wrongWrites: [{ tool: 'cancel_pending_order' }], violations: { missed: 1 }, escalation: 'needless' })
    expect(bad.failures).toEqual(['the final database state differs from the gold actions\''])
  })

  test('required outputs must be stated (case and thousands separators aside); a needed transfer that did not happen is missed', () => {
    const task16 = taskScenario(tasks.find((t) => t.id === '16')!)
    const said = (text: string) => gradeTrial(task16, { ...played, digest: 'a', goldDigest: 'a', evidence: evidence({ transcript: [{ role: 'assistant', text }] }) })
    expect(said('Your refund is $8,276.23 in total.').success).toBe(true)
    expect(said('Your refund is on its way.')).toMatchObject({ success: false, missingOutputs: ['8276.23'] })
    const transfer = tasks.find((t) => t.evaluation_criteria?.actions.some((a) => a.name === 'transfer_to_human_agents'))!
    const result = gradeTrial(taskScenario(transfer), { ...played, digest: 'a', goldDigest: 'a', evidence: evidence() })
    expect(result.escalation).toBe('missed')
  })

  test('assertions: a refused forbidden call is caught, a forbidden call that ran is missed, mentions are checked', () => {
    const scenario = {
      kind: 'scripted' as const, id: 's', customer: ['hi'],
      assertions: { mustCall: ['get_order_details'], mustNotCall: ['cancel_pending_order'], mustNotMention: ['refund'], mustEscalate: true },
    }
    const refused = gradeTrial(scenario, { ...played, digest: 'x', evidence: evidence({
      requested: [{ tool: 'cancel_pending_order', args: {} }], decisions: [{ tool: 'cancel_pending_order', rule: 'authenticated', outcome: 'deny', reason: null, policy: 'retail', policyVersion: '1 (v1)' }],
      transcript: [{ role: 'assistant', text: 'No REFUND today.' }],
    }) })
    expect(refused.violations).toEqual({ caught: 1, missed: 0 })
    expect(refused.failures).toEqual([
      'must call get_order_details', 'must not call cancel_pending_order: asked for, refused by the platform', 'must escalate', 'must not mention "refund"',
    ])
    expect(refused).toMatchObject({ escalation: 'missed', policyVersion: '1 (v1)' })
  })
})

describe('natural-language assertions, graded without a model', () => {
  test('sentences of the forms understood compile into deterministic checks; the rest compile to nothing', () => {
    expect(compileNlAssertion('The agent must not mention the discount code "SAVE20".')).toEqual({ kind: 'not_mention', phrases: ['SAVE20'] })
    expect(compileNlAssertion('must not mention competitors')).toEqual({ kind: 'not_mention', phrases: ['competitors'] })
    expect(compileNlAssertion('Agent should not call cancel_pending_order')).toEqual({ kind: 'call', tool: 'cancel_pending_order', expected: false })
    expect(compileNlAssertion('Agent should transfer the user to a human agent')).toEqual({ kind: 'escalate', expected: true })
    expect(compileNlAssertion('Agent should tell the user the order was shipped to 943 Maple Drive, Suite 356, Chicago, IL 60621.'))
      .toEqual({ kind: 'mention', values: ['943', '356', '60621'] })
    expect(compileNlAssertion('Agent should tell the user the total price of order #W2702727 is $1,625.60.')).toEqual({ kind: 'mention', values: ['#W2702727', '1,625.60'] })
    for (const vague of ['Agent should tell the user the keyboard switch type is tactile.', 'Agent should process the exchange.', 'Be nice']) {
      expect(compileNlAssertion(vague)).toBeUndefined()
    }
  })

  test("a hand-written scenario's sentences count towards its success, with what was said or missing", () => {
    const scenario = {
      kind: 'scripted' as const, id: 'nl', customer: ['hi'],
      assertions: { nl: ['The agent must not mention the discount code "SAVE20".', 'Agent should tell the user the refund is $1,012.50', 'Agent should not escalate'] },
    }
    const said = (text: string) => gradeTrial(scenario, { ...played, digest: 'x', evidence: evidence({ transcript: [{ role: 'assistant', text }] }) })
    expect(said('Your refund of $1012.50 is on its way.')).toMatchObject({ success: true, failures: [] })
    expect(said('Use save20 for 20% off your next order.').failures).toEqual([
      'The agent must not mention the discount code "SAVE20".: said "SAVE20"', 'Agent should tell the user the refund is $1,012.50: not stated: 1,012.50',
    ])
    expect(() => parseRunSpec({ name: 'x', trials: 1, configurations: [{ name: 'c' }], scenarios: [{ ...scenario, assertions: { nl: ['Be helpful'] } }] }))
      .toThrow('scenario "nl": no deterministic check for "Be helpful"')
  })

  test("a τ² task's nl_assertions are graded where a check compiles and reported apart from success; the others are listed ungraded", () => {
    const task89 = taskScenario(tasks.find((t) => t.id === '89')!)
    const result = gradeTrial(task89, { ...played, digest: 'a', goldDigest: 'a', evidence: evidence({ transcript: [{ role: 'assistant', text: 'It costs $226.11, tactile, white, full size.' }] }) })
    expect(result.nlAssertions!.graded).toEqual([{ assertion: 'Agent should tell the user the cheapest mechanical keyboard costs $226.11.', passed: true }])
    expect(result.nlAssertions!.ungraded).toHaveLength(3)
    const silent = gradeTrial(task89, { ...played, digest: 'a', goldDigest: 'a', evidence: evidence({ transcript: [{ role: 'assistant', text: 'Done.' }] }) })
    expect(silent.nlAssertions!.graded[0]).toMatchObject({ passed: false, detail: 'not stated: 226.11' })
    // Success stays τ²'s database state and required outputs: the failed sentence adds no failure of its own.
    expect(silent.failures.every((f) => f.startsWith('did not state'))).toBe(true)
  })
})

describe('promotion gate', () => {
  const summary = (over: Partial<ConfigSummary> = {}): ConfigSummary => ({
    name: 'c', policy: null, trials: 8, successes: 8, successRate: 1, passK: { pass_1: 1, pass_2: 1, pass_3: 1, pass_4: 1 }, wrongWrites: 0,
    violations: { caught: 0, missed: 0 }, escalations: { needed: 2, needless: 0, missed: 0, precision: 1, recall: 1 }, groundingFailures: 0,
    costUsd: 0, tokens: { input: 0, output: 0 }, latencyMs: { p50: 1, p95: 1 }, unplayed: 0, nlAssertions: { passed: 0, failed: 0, ungraded: 0 }, warnings: [], ...over,
  })
  const quiet = { conversations: 0, resolutionRate: null, escalationRate: null, csat: { average: null, ratings: 0 } }
  const good = { conversations: 500, resolutionRate: 0.9, escalationRate: 0.1, csat: { average: 4.6, ratings: 100 } }

  test('promotes only above the current level, within every threshold, with the KPI floors holding', () => {
    const thresholds = { passK: { k: 4, min: 0.8 }, minEscalationPrecision: 0.9 }
    expect(decidePromotion({ from: 'assist', to: 'execute', thresholds, suite: summary(), kpis: good })).toMatchObject({ outcome: 'promoted', reasons: [] })
    expect(decidePromotion({ from: 'execute', to: 'execute', thresholds, suite: summary(), kpis: good }).reasons).toEqual(['execute is not above execute'])
    const weak = decidePromotion({
      from: 'assist', to: 'execute', thresholds,
      suite: summary({ passK: { pass_1: 0.9, pass_4: 0.5 }, escalations: { needed: 1, needless: 1, missed: 0, precision: 0.5, recall: 1 }, violations: { caught: 3, missed: 1 } }),
      kpis: quiet,
    })
    expect(weak.outcome).toBe('refused')
    expect(weak.reasons).toEqual([
      'pass^4 0.5 is below 0.8', 'escalation precision 0.5 is below 0.9', '1 policy violations got through (at most 0)',
      'the KPIs support assist: 0 conversations, needs 50; resolution rate unknown, needs 60%; escalation rate unknown, at most 35%; 0 CSAT ratings, needs 20',
    ])
    expect(decidePromotion({ from: 'assist', to: 'operate', thresholds: { passK: { k: 8, min: 0.5 } }, suite: summary(), kpis: good }).reasons)
      .toEqual(['pass^8 needs 8 trials per scenario; the run has fewer'])
  })

  test("refuses a promotion whose KPI floors broke, and judges floors only on enough conversations", () => {
    const kpiFloors = { minConversations: 20, minResolutionRate: 0.7, maxEscalationRate: 0.3, minCsat: 4, minRatings: 10 }
    const thresholds = { passK: { k: 4, min: 0.8 }, requireKpiAdvice: false, kpiFloors }
    const poor = { conversations: 40, resolutionRate: 0.5, escalationRate: 0.45, csat: { average: 3.2, ratings: 12 } }
    const refused = decidePromotion({ from: 'assist', to: 'execute', thresholds, suite: summary(), kpis: good, floorKpis: poor })
    expect(refused.reasons).toEqual([
      'resolution rate 50% is below the floor of 70%', 'escalation rate 45% is above the ceiling of 30%', 'CSAT 3.20 is below the floor of 4.0',
    ])
    expect(decidePromotion({ from: 'assist', to: 'execute', thresholds, suite: summary(), kpis: good, floorKpis: { ...poor, conversations: 19 } }))
      .toMatchObject({ outcome: 'promoted', measured: { floorsJudged: 'too few conversations' } })
    expect(readFloors({ ...poor, resolutionRate: 0.7, escalationRate: 0.3, csat: { average: 3.2, ratings: 9 } }, kpiFloors)).toEqual({ judged: true, breaches: [] })
  })

  test('demotes one step when a floor broke, never below assist, never on too few conversations', () => {
    const floors = { minConversations: 10, maxEscalationRate: 0.3 }
    const bad = { conversations: 10, resolutionRate: 0.8, escalationRate: 0.4, csat: { average: null, ratings: 0 } }
    expect(decideDemotion('operate', bad, floors)).toMatchObject({ to: 'execute', reasons: ['escalation rate 40% is above the ceiling of 30%'] })
    expect(decideDemotion('execute', bad, floors).to).toBe('assist')
    expect(decideDemotion('assist', bad, floors).to).toBeUndefined()
    expect(decideDemotion('execute', { ...bad, conversations: 9 }, floors).to).toBeUndefined()
    expect(decideDemotion('execute', { ...bad, escalationRate: 0.3 }, floors).to).toBeUndefined()
  })
})
