// The Arena over HTTP: a production conversation becomes a regression scenario with one call and replays in a
// sandbox from its fork with its recorded tool responses; the promotion gate refuses a promotion whose suite
// fails and grants one whose suite passes, recording each decision; a gated agent's mode cannot be raised directly.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { createRun, runTrials, type ArenaLane, type RecordedScenario, type TrialResult } from '../../arena/index.ts'
import type { EmulatedRequest } from '../../emulator/index.ts'
import { startAgentsHarness, TENANT, type AgentsHarness } from '../agents/harness.ts'
import { PENDING_ORDER, startArenaBed, type ArenaBed } from './support.ts'
import { consoleCall, consoleSession } from '../api/console-harness.ts'
import type { ApiHarness } from '../api/harness.ts'

let prod: AgentsHarness
let bed: ArenaBed
let lane: ArenaLane
beforeAll(async () => {
  prod = await startAgentsHarness()
  bed = await startArenaBed()
  lane = await bed.lane()
  await prod.put('agents', 'shop', {
    instructions: 'You are the shop assistant.', tools: ['retail/*'], policy: 'retail', mode: 'execute', model: { provider: 'openai', model: 'prod' },
  })
}, 60_000)
afterAll(async () => {
  await bed.close()
  await prod.close()
}, 30_000)

const hadToolResult = (r: EmulatedRequest) => r.toolResults.length > 0
const SUITE_RUN = { kind: 'scripted', id: 'greeting', customer: ['Hi, where is my order?'], assertions: { mustNotCall: ['cancel_pending_order'] } }

describe('regression scenarios from production', () => {
  let conversationId: string
  beforeAll(async () => {
    prod.emu.script(
      { match: (r) => r.model === 'prod' && r.lastText.includes('cancel'), repeat: true, reply: { text: 'I am sorry, I cannot cancel it here.' } },
      { match: (r) => r.model === 'prod' && !hadToolResult(r), repeat: true, reply: { toolCalls: [{ name: 'get_order_details', arguments: { order_id: PENDING_ORDER.id } }] } },
      { match: (r) => r.model === 'prod', repeat: true, reply: { text: 'Let me check that for you.' } },
    )
    conversationId = await prod.newConversation('shop')
    await prod.reply(await prod.post(conversationId, `Where is my order ${PENDING_ORDER.id}?`))
    await prod.reply(await prod.post(conversationId, 'Please cancel it'))
  }, 30_000)

  test('one call turns the conversation into a scenario forked at a turn; repeating it returns the same one', async () => {
    const res = await prod.call('POST', '/v1/arena/scenarios/from-conversation', { conversationId, suite: 'regressions', forkAt: 1 })
    expect(res.status).toBe(201)
    const spec = res.body.spec as RecordedScenario
    expect(spec.history.map((m) => m.role)).toEqual(['customer', 'assistant'])
    expect(spec.history[0]!.text).toContain(PENDING_ORDER.id)
    expect(spec.customer).toEqual(['Please cancel it'])
    expect(spec.toolResponses).toHaveLength(1)
    expect(spec.toolResponses[0]).toMatchObject({ tool: 'get_order_details', args: { order_id: PENDING_ORDER.id } })
    const again = await prod.call('POST', '/v1/arena/scenarios/from-conversation', { conversationId, suite: 'regressions', forkAt: 1 })
    expect(again.status).toBe(200)
    expect(again.body.id).toBe(res.body.id)
    expect((await prod.call('GET', '/v1/arena/scenarios?suite=regressions')).body.data).toHaveLength(1)
  })

  test('bad requests are refused with a code', async () => {
    const missing = await prod.call('POST', '/v1/arena/scenarios/from-conversation', { conversationId: 'conv_nope', suite: 'regressions' })
    expect(missing).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } })
    const beyond = await prod.call('POST', '/v1/arena/scenarios/from-conversation', { conversationId, suite: 'regressions', forkAt: 5 })
    expect(beyond).toMatchObject({ status: 400, body: { error: { code: 'request.invalid' } } })
  })

  test('the fork replays in a sandbox: history kept, recorded tool responses served, the new configuration from the fork on', async () => {
    const kept = (await prod.call('GET', '/v1/arena/scenarios?suite=regressions')).body.data[0].spec as RecordedScenario
    // A recording the sandbox alone could have answered with.
    kept.toolResponses[0]!.result = { ok: true, output: { order_id: PENDING_ORDER.id, status: 'recorded-sentinel' } }
    bed.emu.script(
      { match: (r) => r.model === 'replayer' && !hadToolResult(r), repeat: true, reply: { toolCalls: [{ name: 'get_order_details', arguments: { order_id: PENDING_ORDER.id } }] } },
      { match: (r) => r.model === 'replayer', repeat: true, reply: { text: 'It is recorded-sentinel.' } },
    )
    const before = bed.emu.requests.length
    await createRun(bed.runs, { id: 'run-fork', tenantId: TENANT, spec: {
      name: 'fork', scenarios: [kept], trials: 1, configurations: [{ name: 'next', model: { provider: 'emu', model: 'replayer' }, policy: null }],
    } })
    expect(await runTrials('run-fork', { runs: bed.runs, lanes: [lane], worker: 'test' })).toBe('done')
    const requests = bed.emu.requests.slice(before)
    expect(requests[0]!.messages.some((m) => m.text.includes(`Where is my order ${PENDING_ORDER.id}`))).toBe(true)
    expect(requests[0]!.lastText).toBe('Please cancel it')
    expect(requests[1]!.toolResults[0]!.content).toContain('recorded-sentinel')
    const result = (await bed.runs.trials('run-fork'))[0]!.result as TrialResult
    expect(result.transcript.at(-1)!.text).toBe('It is recorded-sentinel.')
  }, 30_000)
})

describe('promotion gate', () => {
  const suiteRun = async (id: string, model: string) => {
    await createRun(prod.platform.storage.arenaRuns, { id, tenantId: TENANT, spec: {
      name: id, suite: 'release', scenarios: [SUITE_RUN], trials: 2, configurations: [{ name: 'candidate', model: { provider: 'emu', model } }],
    } })
    expect(await runTrials(id, { runs: prod.platform.storage.arenaRuns, lanes: [lane], worker: 'test' })).toBe('done')
  }

  test('refuses a promotion whose suite fails, grants one whose suite passes, and records both', async () => {
    const suite = await prod.call('PUT', '/v1/arena/suites/release', { thresholds: { passK: { k: 2, min: 0.9 }, requireKpiAdvice: false }, gates: ['shop'] })
    expect(suite.status).toBe(200)
    const direct = await prod.call('PUT', '/v1/agents/shop/mode', { mode: 'operate' })
    expect(direct).toMatchObject({ status: 409, body: { error: { code: 'conflict' } } })
    expect((await prod.call('PUT', '/v1/agents/shop/mode', { mode: 'assist' })).status).toBe(200)

    const none = await prod.call('POST', '/v1/agents/shop/promotions', { mode: 'execute', suite: 'release' })
    expect(none).toMatchObject({ status: 201, body: { outcome: 'refused', reasons: ['the suite has no finished run for this agent'] } })

    bed.emu.script(
      { match: (r) => r.model === 'reckless' && !hadToolResult(r), repeat: true, reply: { toolCalls: [{ name: 'cancel_pending_order', arguments: { order_id: PENDING_ORDER.id, reason: 'no longer needed' } }] } },
      { match: (r) => r.model === 'reckless', repeat: true, reply: { text: 'Done.' } },
      { match: { model: 'careful' }, repeat: true, reply: { text: 'Hello! How can I help you today?' } },
    )
    await suiteRun('release-1', 'reckless')
    const refused = await prod.call('POST', '/v1/agents/shop/promotions', { mode: 'execute', suite: 'release' })
    expect(refused.status).toBe(201)
    expect(refused.body).toMatchObject({ outcome: 'refused', runId: 'release-1', fromMode: 'assist', toMode: 'execute', policy: 'retail' })
    expect(refused.body.reasons).toContain('pass^2 0 is below 0.9')
    expect(refused.body.policyVersion).toMatch(/\(v\d+\)$/)
    expect(refused.body.approver).toMatch(/^key:/)
    expect((await prod.call('GET', '/v1/agents/shop/mode')).body.mode).toBe('assist')

    await suiteRun('release-2', 'careful')
    const granted = await prod.call('POST', '/v1/agents/shop/promotions', { mode: 'execute', suite: 'release' })
    expect(granted.body).toMatchObject({ outcome: 'promoted', runId: 'release-2', reasons: [], measured: { pass_2: 1 } })
    expect((await prod.call('GET', '/v1/agents/shop/mode')).body).toMatchObject({ mode: 'execute', version: granted.body.agentVersion })
    const log = (await prod.call('GET', '/v1/agents/shop/promotions')).body.data
    expect(log.map((d: { outcome: string }) => d.outcome)).toEqual(['promoted', 'refused', 'refused'])
  }, 60_000)

  test('the report of a run over HTTP, as JSON, CSV and JUnit', async () => {
    const json = await prod.call('GET', '/v1/arena/runs/release-1/report')
    expect(json.body.configurations[0]).toMatchObject({ name: 'candidate', trials: 2, successes: 0, passK: { pass_1: 0, pass_2: 0 } })
    const res = await prod.platform.app!.handle(new Request('http://localhost/v1/arena/runs/release-1/report?format=junit', { headers: { authorization: `Bearer ${prod.key}` } }))
    const xml = await res.text()
    expect(res.headers.get('content-type')).toContain('application/xml')
    expect(xml).toContain('<testsuite name="candidate" tests="1" failures="1">')
    expect(xml).toContain('must not call cancel_pending_order: asked for, refused by the platform')
    const csv = await (await prod.platform.app!.handle(new Request('http://localhost/v1/arena/runs/release-2/report?format=csv', { headers: { authorization: `Bearer ${prod.key}` } }))).text()
    expect(csv.split('\n')[1]).toBe('greeting,candidate,2,2,1,1,false,')
    expect((await prod.call('GET', '/v1/arena/runs/nope/report')).status).toBe(404)
  })
})

describe('console', () => {
  test('supervisors read runs and reports in the console; agents may not', async () => {
    const h = { platform: prod.platform } as unknown as ApiHarness
    const supervisor = await consoleSession(h, TENANT, 'supervisor')
    const runs = await consoleCall(h, supervisor, 'GET', '/console/api/arena/runs')
    expect(runs.body.data.map((r: { id: string }) => r.id)).toEqual(expect.arrayContaining(['release-1', 'release-2']))
    const report = await consoleCall(h, supervisor, 'GET', '/console/api/arena/runs/release-1/report')
    expect(report.body.configurations[0]).toMatchObject({ name: 'candidate', violations: { caught: 2, missed: 0 } })
    const agent = await consoleSession(h, TENANT, 'agent')
    expect((await consoleCall(h, agent, 'GET', '/console/api/arena/runs')).status).toBe(403)
    expect((await consoleCall(h, supervisor, 'GET', '/console/api/arena/runs/nope/report')).status).toBe(404)
  })
})
