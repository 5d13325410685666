// Runs started from the API are played by the workers: a worker with lanes takes the run under a lease, its progress
// shows on GET /v1/arena/runs/{id} as it goes, it stops at the cost ceiling, and a run whose worker died mid-way is
// taken over once the lease expires and resumed with no finished trial played twice.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { createRun, startArenaRunner, type ArenaRunner } from '../../arena/index.ts'
import { createLogger } from '../../lib/log.ts'
import { startArenaLane } from '../../platform-arena.ts'
import { startAgentsHarness, type AgentsHarness } from '../agents/harness.ts'
import { consoleCall, consoleSession } from '../api/console-harness.ts'
import type { ApiHarness } from '../api/harness.ts'
import { waitFor } from '../support/wait.ts'
import { startArenaBed, type ArenaBed } from './support.ts'

let bed: ArenaBed
let h: AgentsHarness
let lanes = 0
// Lanes of their own (not the bed's): the runner closes each when its run stops.
const lane = () => startArenaLane({ name: `${bed.db.schema.slice(-10)}_r${lanes++}`, env: bed.env })
beforeAll(async () => {
  bed = await startArenaBed()
  // The worker plays runs on the bed's lanes (the vendor emulator is the provider `emu` there).
  h = await startAgentsHarness({ ARENA_RUNNER_LANES: '1' }, { arena: { lanes: async () => [await lane()] } })
  bed.emu.script(
    { match: { model: 'pricey' }, repeat: true, reply: { text: 'Hello! How can I help?', usage: { inputTokens: 1000, outputTokens: 0 } } },
    { match: { model: 'polite' }, repeat: true, reply: { text: 'Hello! How can I help you today?' } },
  )
}, 60_000)
afterAll(async () => {
  await h.close()
  await bed.close()
}, 30_000)

const GREETING = { kind: 'scripted', id: 'greeting', customer: ['Hi, where is my order?'], assertions: { mustNotCall: ['cancel_pending_order'] } }
const finished = (id: string) => waitFor(async () => {
  const run = (await h.call('GET', `/v1/arena/runs/${id}`)).body
  return run.status !== 'running' ? run : undefined
}, 60_000, `run ${id} to finish`)

describe('runs started from the API', () => {
  test("a suite's kept scenarios played by a worker, with progress as it goes; the console plays it again", async () => {
    expect((await h.call('POST', '/v1/arena/scenarios', { suite: 'smoke', scenario: GREETING })).status).toBe(201)
    const started = await h.call('POST', '/v1/arena/runs', {
      name: 'smoke', suite: 'smoke', trials: 2, configurations: [{ name: 'polite', model: { provider: 'emu', model: 'polite' } }],
    })
    expect(started).toMatchObject({ status: 202, body: { status: 'running', progress: { total: 2 } } })
    const run = await finished(started.body.id)
    expect(run).toMatchObject({ status: 'done', playedBy: 'workers', runner: null, progress: { total: 2, done: 2 } })
    expect(run.startedBy).toMatch(/^key:/)
    const report = (await h.call('GET', `/v1/arena/runs/${run.id}/report`)).body
    expect(report.configurations[0]).toMatchObject({ name: 'polite', trials: 2, successes: 2 })

    const supervisor = await consoleSession({ platform: h.platform } as unknown as ApiHarness, 'acme', 'supervisor')
    const again = await consoleCall({ platform: h.platform } as unknown as ApiHarness, supervisor, 'POST', `/console/api/arena/runs/${run.id}/again`)
    expect(again.status).toBe(202)
    expect(await finished(again.body.id)).toMatchObject({ status: 'done', name: 'smoke', progress: { done: 2 } })
  }, 120_000)

  test('the run stops at its cost ceiling', async () => {
    const started = await h.call('POST', '/v1/arena/runs', {
      name: 'expensive', scenarios: [GREETING], trials: 5, costCeilingUsd: 1.5,
      // $1000 per million input tokens: one reply costs a dollar.
      configurations: [{ name: 'pricey', model: { provider: 'emu', model: 'pricey', pricePerMTok: { input: 1000, output: 0 } } }],
    })
    const run = await finished(started.body.id)
    expect(run).toMatchObject({ status: 'cost_ceiling', progress: { total: 5, done: 2 } })
    expect(run.progress.spentUsd).toBeCloseTo(2, 6)
  }, 120_000)

  test('bad requests are refused with a code', async () => {
    const none = await h.call('POST', '/v1/arena/runs', { name: 'x', trials: 1, configurations: [{ name: 'c' }] })
    expect(none).toMatchObject({ status: 400, body: { error: { code: 'request.invalid' } } })
    const empty = await h.call('POST', '/v1/arena/runs', { name: 'x', suite: 'nothing-kept', trials: 1, configurations: [{ name: 'c' }] })
    expect(empty).toMatchObject({ status: 400, body: { error: { code: 'request.invalid', message: 'suite nothing-kept keeps no scenarios' } } })
    const pin = await h.call('POST', '/v1/arena/runs', { name: 'x', scenarios: [GREETING], trials: 1, configurations: [{ name: 'c', policy: 'retail', policyVersion: 99 }] })
    expect(pin).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } })
    const vague = await h.call('POST', '/v1/arena/scenarios', { suite: 'smoke', scenario: { ...GREETING, id: 'vague', assertions: { nl: ['Be helpful'] } } })
    expect(vague).toMatchObject({ status: 400, body: { error: { code: 'request.invalid' } } })
    expect(vague.body.error.message).toStartWith('scenario "vague": no deterministic check for "Be helpful"')
  })
})

describe('a worker dies mid-run', () => {
  let runner: ArenaRunner | undefined
  afterAll(() => runner?.close())

  test('another worker takes the run once the lease expires and resumes it: no finished trial runs twice', async () => {
    const id = `takeover_${crypto.randomUUID().slice(0, 8)}`
    await createRun(bed.runs, { id, tenantId: 'acme', playedBy: 'workers', spec: {
      name: 'takeover', scenarios: [GREETING], trials: 3, configurations: [{ name: 'polite', model: { provider: 'emu', model: 'polite' } }],
    } })
    // What a worker killed with SIGKILL leaves: its lease, one trial finished, one claimed and never finished.
    expect(await bed.runs.claimRun('dead', 60_000)).toMatchObject({ id, runner: 'dead' })
    const first = (await bed.runs.claim(id, 'dead'))!
    await bed.runs.finish(id, first, 'dead', { success: true, costUsd: 0, conversationId: 'c-dead', result: { success: true } })
    const inFlight = (await bed.runs.claim(id, 'dead'))!
    // While the lease is live nobody else takes the run.
    expect(await bed.runs.claimRun('alive', 1000)).toBeUndefined()
    await bed.db.sql`update arena_runs set lease_until = now() - interval '1 second' where id = ${id}`

    runner = startArenaRunner({
      runs: bed.runs, worker: 'alive', leaseMs: 5000, pollMs: 50, log: createLogger({ role: 'test' }), lanes: async () => [await lane()],
    })
    await waitFor(async () => ((await bed.runs.get(id))!.status === 'done' ? true : undefined), 60_000, 'the resumed run')
    const trials = await bed.runs.trials(id)
    const attempts = Object.fromEntries(trials.map((t) => [t.trial, t.attempts]))
    expect(trials.every((t) => t.status === 'done')).toBe(true)
    expect(attempts).toEqual({ [first.trial]: 1, [inFlight.trial]: 2, 2: 1 })
    expect(trials.find((t) => t.trial === first.trial)!.conversationId).toBe('c-dead')
    expect((await bed.runs.get(id))!.runner).toBeNull()
  }, 120_000)
})
