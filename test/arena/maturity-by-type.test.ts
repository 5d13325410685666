// The promotion gate per agent and conversation type: a type's level goes up only through a suite that meets its
// thresholds, applies to every turn of conversations of that type (drafts or replies, and at the tool boundary),
// and comes down by itself, once however many workers check, when the type's KPIs break the suite's floors.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { checkDemotions, createRun, unplayedTrial, type DemotionCheckDeps, type TrialResult } from '../../arena/index.ts'
import { agentKpis } from '../../api/index.ts'
import { createLogger } from '../../lib/log.ts'
import { startAgentsHarness, TENANT, type AgentsHarness } from '../agents/harness.ts'
import { consoleCall, consoleSession } from '../api/console-harness.ts'
import type { ApiHarness } from '../api/harness.ts'
import { PENDING_ORDER } from './support.ts'

let h: AgentsHarness
beforeAll(async () => {
  h = await startAgentsHarness()
  // No AgentPolicy: in assist mode the platform's own rule refuses every write at the tool boundary.
  await h.put('agents', 'shop', { instructions: 'You are the shop assistant.', tools: ['retail/*'], mode: 'assist', model: { provider: 'openai', model: 'prod' } })
  h.emu.script(
    { match: (r) => r.model === 'prod' && r.lastText.includes('escalate me'), repeat: true, reply: { toolCalls: [{ name: 'transfer_to_human', arguments: { reason: 'asked for' } }] } },
    // Asked about a cancellation (or, to show the boundary, about tracking), the model tries to cancel the order.
    { match: (r) => r.model === 'prod' && /cancel|Where is/.test(r.lastText) && r.toolResults.length === 0, repeat: true,
      reply: { toolCalls: [{ name: 'cancel_pending_order', arguments: { order_id: PENDING_ORDER.id, reason: 'no longer needed' } }] } },
    { match: { model: 'prod' }, repeat: true, reply: { text: 'Done, anything else?' } },
  )
}, 60_000)
afterAll(() => h.close(), 30_000)

const CANCEL = 'cancel_order'

/** A finished run of the suite whose one trial passed or failed, as the gate reads it. */
async function suiteRun(suite: string, passed: boolean): Promise<string> {
  const id = `${suite}-${crypto.randomUUID().slice(0, 8)}`
  const runs = h.platform.storage.arenaRuns
  await createRun(runs, { id, tenantId: TENANT, spec: {
    name: id, suite, trials: 1, configurations: [{ name: 'candidate' }],
    scenarios: [{ kind: 'scripted', id: 'cancel', customer: ['Please cancel my order'], assertions: { mustCall: ['cancel_pending_order'] } }],
  } })
  const trial = (await runs.claim(id, 'test'))!
  const { error: _unplayed, ...result } = unplayedTrial('')
  const graded: TrialResult = { ...result, success: passed, failures: passed ? [] : ['must call cancel_pending_order'] }
  await runs.finish(id, trial, 'test', { success: passed, costUsd: 0, conversationId: `c-${id}`, result: graded })
  await runs.setStatus(id, 'done')
  return id
}

/** Opens a conversation with `text`; returns the turn's recorded mode and whether it got a reply or a draft. */
async function turn(conversationId: string, text: string): Promise<{ mode: string; replied: boolean; drafted: boolean; turnId: string }> {
  const turnId = await h.post(conversationId, text)
  const { sql } = h.db
  for (let i = 0; i < 300; i++) {
    const [row] = await sql<{ mode: string; replied: boolean; drafted: boolean }[]>`select f.mode,
        exists (select 1 from messages m where m.turn_id = ${turnId} and m.role = 'assistant') as replied,
        exists (select 1 from reply_drafts d where d.conversation_id = ${conversationId}
          and d.created_at >= (select created_at from messages where id = ${turnId})) as drafted
      from turn_facts f where f.turn_id = ${turnId}`
    if (row && (row.replied || row.drafted)) return { ...row, turnId }
    await Bun.sleep(50)
  }
  throw new Error(`no reply or draft for ${text}`)
}

const writesRefused = async (conversationId: string) => (await h.db.sql`select 1 from policy_decisions
  where conversation_id = ${conversationId} and rule = 'platform.assist_drafts_only'`).length

describe('promotion per conversation type', () => {
  test('refused while its suite fails; granted when it passes, recorded with the run, the approver and the type', async () => {
    expect((await h.call('PUT', '/v1/arena/suites/cancellations', { thresholds: { passK: { k: 1, min: 1 }, requireKpiAdvice: false }, gates: ['shop'] })).status).toBe(200)
    const failing = await suiteRun('cancellations', false)
    const refused = await h.call('POST', '/v1/agents/shop/promotions', { mode: 'execute', suite: 'cancellations', conversationType: CANCEL })
    expect(refused.status).toBe(201)
    expect(refused.body).toMatchObject({ outcome: 'refused', conversationType: CANCEL, fromMode: 'assist', runId: failing })
    expect(refused.body.reasons).toContain('pass^1 0 is below 1')
    expect((await h.call('GET', '/v1/agents/shop/maturity')).body).toEqual({ agent: 'shop', mode: 'assist', conversationTypes: [] })

    const passing = await suiteRun('cancellations', true)
    const granted = await h.call('POST', '/v1/agents/shop/promotions', { mode: 'execute', suite: 'cancellations', conversationType: CANCEL })
    expect(granted.body).toMatchObject({ outcome: 'promoted', conversationType: CANCEL, fromMode: 'assist', toMode: 'execute', runId: passing, reasons: [] })
    expect(granted.body.approver).toMatch(/^key:/)
    const maturity = (await h.call('GET', '/v1/agents/shop/maturity')).body
    // The agent's own mode is untouched: only the type went up.
    expect(maturity).toMatchObject({ mode: 'assist', conversationTypes: [{ conversationType: CANCEL, mode: 'execute', decisionId: granted.body.id, suite: 'cancellations' }] })
    const byType = (await h.call('GET', `/v1/agents/shop/promotions?conversationType=${CANCEL}`)).body.data
    expect(byType.map((d: { outcome: string }) => d.outcome)).toEqual(['promoted', 'refused'])
    expect((await h.call('POST', '/v1/agents/shop/promotions', { mode: 'execute', suite: 'cancellations', conversationType: 'Not A Type' })).status).toBe(400)
  }, 60_000)

  test("the type's level applies to every turn of its conversations, at the tool boundary too; other types keep the agent's mode", async () => {
    const cancel = await h.newConversation('shop')
    const first = await turn(cancel, `I want to cancel my order ${PENDING_ORDER.id}`)
    expect(first).toMatchObject({ mode: 'execute', replied: true, drafted: false })
    // A later message of another intent still belongs to a cancellation conversation.
    expect(await turn(cancel, 'where is it now?')).toMatchObject({ mode: 'execute', replied: true })
    expect(await writesRefused(cancel)).toBe(0)

    const other = await h.newConversation('shop')
    const tracked = await turn(other, `Where is my order ${PENDING_ORDER.id}?`)
    expect(tracked).toMatchObject({ mode: 'assist', replied: false, drafted: true })
    // The same write asked for in an assist-level conversation is refused by the platform.
    expect(await writesRefused(other)).toBe(1)
  }, 60_000)
})

test('a type raised to operate is offered the Operate workflows, and may run them; other types of the same agent may not', async () => {
  await h.put('agents', 'ops', {
    instructions: 'You handle returns.', tools: ['retail/*'], mode: 'execute', workflows: ['refund'], model: { provider: 'openai', model: 'ops' },
  })
  h.emu.script(
    { match: (r) => r.model === 'ops' && r.toolResults.length === 0, repeat: true,
      reply: { toolCalls: [{ name: 'run_refund_workflow', arguments: { order_id: '#W0000000', item_ids: ['1'], payment_method_id: 'paypal_1' } }] } },
    { match: { model: 'ops' }, repeat: true, reply: { text: 'Noted.' } },
  )
  expect((await h.call('PUT', '/v1/arena/suites/returns', { thresholds: { passK: { k: 1, min: 1 }, requireKpiAdvice: false } })).status).toBe(200)
  await suiteRun('returns', true)
  const granted = await h.call('POST', '/v1/agents/ops/promotions', { mode: 'operate', suite: 'returns', conversationType: 'return_order' })
  expect(granted.body).toMatchObject({ outcome: 'promoted', fromMode: 'execute', toMode: 'operate' })

  /** The tools the model was offered on the conversation's first call, and what the workflow call came back with. */
  const firstCall = async (text: string) => {
    const before = h.emu.requests.length
    const c = await h.newConversation('ops')
    await h.reply(await h.post(c, text))
    const requests = h.emu.requests.slice(before).filter((r) => r.model === 'ops')
    return { offered: requests[0]!.toolNames.includes('run_refund_workflow'), result: requests[1]!.toolResults[0]!.content }
  }
  const returning = await firstCall('I want to return my order #W6893533 and get my money back')
  expect(returning.offered).toBe(true)
  expect(returning.result).not.toContain('not available')
  const tracking = await firstCall(`Where is my order ${PENDING_ORDER.id}?`)
  expect(tracking.offered).toBe(false)
  expect(tracking.result).toContain('not available to agent ops')
}, 60_000)

describe('automatic demotion', () => {
  const log = createLogger({ role: 'test' })
  const worker = (): DemotionCheckDeps => ({
    promotions: h.platform.storage.promotions, suites: h.platform.storage.arenaSuites, resources: h.platform.storage.resources, clock: { now: () => Date.now() }, log,
    kpis: (q) => agentKpis(h.platform.storage, q.tenantId, q.agent, q, q.now, undefined, q.conversationType),
  })

  test('holds while the floors are not crossed, then lowers the level once across two workers, with the reason', async () => {
    // Floors on the suite that gave the level: at most half of the type's conversations escalated, judged from 3.
    const thresholds = { passK: { k: 1, min: 1 }, requireKpiAdvice: false, kpiFloors: { minConversations: 3, maxEscalationRate: 0.5, windowDays: 7 } }
    expect((await h.call('PUT', '/v1/arena/suites/cancellations', { thresholds, gates: ['shop'] })).status).toBe(200)
    // One cancellation conversation so far (the test above), none escalated: too few to judge, nothing changes.
    expect(await checkDemotions(worker())).toEqual([])

    for (let i = 0; i < 3; i++) {
      const c = await h.newConversation('shop')
      expect((await turn(c, `Please cancel order ${PENDING_ORDER.id} and escalate me`)).mode).toBe('execute')
    }
    const kpis = await agentKpis(h.platform.storage, TENANT, 'shop', { from: new Date(Date.now() - 86_400_000), to: new Date(Date.now() + 1000) }, Date.now(), undefined, CANCEL)
    expect(kpis.conversations).toBe(4)
    expect(kpis.escalationRate).toBeGreaterThan(0.5)

    const [a, b] = await Promise.all([checkDemotions(worker()), checkDemotions(worker())])
    const recorded = [...a!, ...b!]
    expect(recorded).toHaveLength(1)
    expect(recorded[0]).toMatchObject({ outcome: 'demoted', conversationType: CANCEL, fromMode: 'execute', toMode: 'assist', approver: 'platform:kpi-floors', suite: 'cancellations' })
    expect(recorded[0]!.reasons[0]).toMatch(/^escalation rate 75% is above the ceiling of 50%/)
    // Visible in the API, newest first, and the level is down: the next cancellation is a draft again.
    const decisions = (await h.call('GET', `/v1/agents/shop/promotions?conversationType=${CANCEL}`)).body.data
    expect(decisions[0]).toMatchObject({ outcome: 'demoted', reasons: recorded[0]!.reasons, measured: { conversations: 4 } })
    expect((await h.call('GET', '/v1/agents/shop/maturity')).body.conversationTypes[0]).toMatchObject({ conversationType: CANCEL, mode: 'assist' })
    const asConsole = { platform: h.platform } as unknown as ApiHarness
    const listed = await consoleCall(asConsole, await consoleSession(asConsole, TENANT, 'supervisor'), 'GET', '/console/api/arena/decisions')
    expect(listed.body.data[0]).toMatchObject({ agent: 'shop', conversationType: CANCEL, outcome: 'demoted', approver: 'platform:kpi-floors' })
    const next = await h.newConversation('shop')
    expect(await turn(next, `I want to cancel my order ${PENDING_ORDER.id}`)).toMatchObject({ mode: 'assist', drafted: true })
    // Already at assist: a further check records nothing.
    expect(await checkDemotions(worker())).toEqual([])
  }, 90_000)
})
