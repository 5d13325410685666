// Routing as the worker runs it (ROUTING_POLICY and ROUTING_PROVIDERS, the OpenAI adapter on the vendor
// emulator): a budget-degraded call is recorded with the policy version, rule and reason, and carries them on
// its model-call span, the "why" view shows them, and the remaining-budget gauge drops with each paid call. Its own platform, since the other
// observability tests run on a scripted gateway.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createVendorEmulator, type VendorEmulator } from '../../emulator/index.ts'
import { installTestTracing, type TestTracing } from '../../lib/telemetry.ts'
import { waitFor } from '../support/wait.ts'
import { startObserved, TENANT, type ObservedPlatform } from './harness.ts'

// The demo agent's prompt is about 2.5k tokens: gpt-4o (≈ $0.010 with 400 output tokens expected) no longer
// fits the conversation budget, gpt-4o-mini (≈ $0.0006) does.
const POLICY = `
apiVersion: switchboard.dev/v1alpha1
kind: RoutingPolicy
metadata: { name: provenance }
spec:
  version: provenance-7
  models:
    gpt-4o: { provider: openai, pricePerMTok: { input: 2.5, output: 10 } }
    gpt-4o-mini: { provider: openai, pricePerMTok: { input: 0.15, output: 0.6 } }
    local: { provider: local, pricePerMTok: { input: 0, output: 0 } }
  rules:
    - name: chat-best-model
      match: { channel: [chat] }
      chain: [gpt-4o, gpt-4o-mini, local]
  default: { chain: [local] }
  budgets: { conversationUsd: 0.005, tenantDailyUsd: 1, tenantMonthlyUsd: 20 }
`
// What each gpt-4o-mini answer costs at the usage the emulator reports: 2000 × 0.15 + 50 × 0.6 per million.
const CALL_USD = 0.00033

let emu: VendorEmulator
let h: ObservedPlatform
let tracing: TestTracing
const dir = mkdtempSync(join(tmpdir(), 'routing-provenance-'))

beforeAll(async () => {
  tracing = installTestTracing()
  emu = createVendorEmulator()
  emu.script({ match: { model: 'gpt-4o-mini' }, reply: { text: 'It is on its way.', usage: { inputTokens: 2000, outputTokens: 50 } }, repeat: true })
  writeFileSync(join(dir, 'routing.yaml'), POLICY)
  const providers = [{ vendor: 'openai-compatible', name: 'openai', baseUrl: `${emu.url}/v1` }]
  // No gateway seam: the worker builds the routing gateway from its config, as in production.
  h = await startObserved({ gateway: undefined }, { ROUTING_POLICY: join(dir, 'routing.yaml'), ROUTING_PROVIDERS: JSON.stringify(providers) })
})

afterAll(async () => {
  await h.close()
  await emu.close()
  await tracing.uninstall()
  rmSync(dir, { recursive: true, force: true })
})

const GAUGE = `switchboard_budget_remaining_usd{scope="tenantDay",tenant="${TENANT}"}`

/** The gauge's value on the worker's /metrics, or undefined while it has no series. */
async function remainingToday(): Promise<number | undefined> {
  const text = await (await fetch(`http://127.0.0.1:${h.platform.metricsPort}/metrics`)).text()
  const line = text.split('\n').find((l) => l.startsWith(`${GAUGE} `))
  return line === undefined ? undefined : Number(line.slice(GAUGE.length + 1))
}

async function answeredTurn(): Promise<{ conversationId: string; turnId: string }> {
  const conversationId = await h.newConversation()
  const turnId = await h.post(conversationId, 'Hello, where is my parcel?')
  await h.waitForReply(turnId)
  return { conversationId, turnId }
}

describe('routing provenance', () => {
  let first: { conversationId: string; turnId: string }

  beforeAll(async () => {
    expect(await remainingToday()).toBeUndefined()
    first = await answeredTurn()
  })

  test('the provider call records the policy version, the rule and why the budget degraded it', async () => {
    const [call] = await h.db.sql`select model, cost_usd, routing_policy_version, routing_rule, degraded_by
      from provider_calls where turn_id = ${first.turnId}`
    expect(call).toMatchObject({ model: 'gpt-4o-mini', cost_usd: CALL_USD, routing_policy_version: 'provenance-7', routing_rule: 'chat-best-model' })
    expect(call!.degraded_by).toStartWith('budget.conversation: gpt-4o → gpt-4o-mini (cheaper model, $0.0050 left)')
  })

  test('the model-call span carries the same provenance', async () => {
    const chat = await waitFor(async () => tracing.spans().find((s) => s.name === 'chat gpt-4o-mini' && s.attributes['switchboard.turn.id'] === first.turnId), 5000, 'the model-call span')
    expect(chat.attributes).toMatchObject({ 'switchboard.routing.policy_version': 'provenance-7', 'switchboard.routing.rule': 'chat-best-model' })
    expect(String(chat.attributes['switchboard.routing.degraded_by'])).toStartWith('budget.conversation: gpt-4o → gpt-4o-mini')
  })

  test('the "why" view shows which policy and rule chose the model, and what degraded it', async () => {
    const res = await h.call('GET', `/v1/conversations/${first.conversationId}/turns/${first.turnId}/why`)
    expect(res.status).toBe(200)
    expect(res.body.modelSteps).toHaveLength(1)
    expect(res.body.modelSteps[0]).toMatchObject({ model: 'gpt-4o-mini', fallbackPath: ['openai:gpt-4o-mini'] })
    expect(res.body.modelSteps[0].routing).toEqual({
      policyVersion: 'provenance-7', rule: 'chat-best-model',
      degradedBy: expect.stringContaining('budget.conversation: gpt-4o → gpt-4o-mini'),
    })
  })

  test('the remaining-budget gauge drops by what each call spent', async () => {
    expect(await remainingToday()).toBeCloseTo(1 - CALL_USD, 8)
    await answeredTurn()
    expect(await remainingToday()).toBeCloseTo(1 - 2 * CALL_USD, 8)
  })
})
