// bench:guardrails: what the guardrails cost a turn. (1) The checks in process over the 503 replies of the retail
// dialogues (input stage, tool results, output stage), from bench:guardrail-checks. (2) Turns per second through a
// platform running the offline model: the demo agent as shipped (its knowledge base retrieved and every reply
// checked for grounding and confidence) against the same agent with retrieval, grounding and confidence off (the
// input checks and the card-number and brand-voice checks on replies always run), alternating runs. (3) Time to
// first token through the OpenAI SDK against the emulator's streaming API: the release gate (a sentence is shown
// once it passed) against publishing every token unchecked, alternating calls.
// Usage: bun bench/guardrails/turns.ts [conversations per run]
import type { ChatTurn } from '../../actors/protocol.ts'
import { createReleaseGate, sentenceCheck } from '../../actors/provider/release-gate.ts'
import { callModel, type PublishDelta } from '../../actors/provider/streamed-call.ts'
import { createVendorEmulator } from '../../emulator/index.ts'
import { createDirectGateway, createOpenAIProvider } from '../../providers/index.ts'
import { overrideResource, retailCustomers, retailTurnsPerSecond } from '../retail-turns.ts'
import { percentile, progress, round } from '../support.ts'
import { measureStages } from './latency.ts'

const CONVERSATIONS = Number(process.argv[2] ?? 120)
const TTFT_CALLS = 30

function checkedTurns(people: ReturnType<typeof retailCustomers>, on: boolean): Promise<number> {
  return retailTurnsPerSecond(`checks ${on ? 'on' : 'off'}`, people, async (platform) => {
    if (on) return
    await overrideResource(platform, 'AgentPolicy', 'retail', (spec) => ({ ...spec, guardrails: { grounding: false } }))
    await overrideResource(platform, 'Agent', 'demo', (spec) => {
      const { knowledgeBase: _kb, ...rest } = spec
      return rest
    })
  })
}

const REPLY = 'Thanks for waiting. Your order #W2378156 was delivered on May 2. It was paid with your PayPal account. Is there anything else I can help with?'
const HISTORY: ChatTurn[] = [
  { role: 'customer', text: 'Where is my order #W2378156?' },
  { role: 'tool', toolCallId: 'c1', name: 'get_order_details', text: JSON.stringify({ order_id: '#W2378156', status: 'delivered', delivered: '2024-05-02', payment_history: [{ payment_method_id: 'paypal_1' }] }) },
]

/** Milliseconds from the call to the first text the customer's stream gets, gated or not. */
async function firstToken(gateway: ReturnType<typeof createDirectGateway>, gated: boolean): Promise<number> {
  const started = performance.now()
  let first: number | undefined
  const raw: PublishDelta = () => (first ??= performance.now() - started)
  const publish = gated ? createReleaseGate(sentenceCheck(HISTORY, [], true), raw).publish : raw
  await callModel(gateway, { system: 'You are a support agent.', messages: [{ role: 'user', content: 'Where is my order #W2378156?' }] }, { tenantId: 'bench' } as never, publish)
  return first ?? Number.NaN
}

async function timeToFirstToken(): Promise<{ gated: number; raw: number }> {
  // About 40 tokens per second, a typical hosted model's pace.
  const emu = createVendorEmulator({ perTokenMs: 25 })
  emu.script({ reply: { text: REPLY }, repeat: true })
  const provider = createOpenAIProvider({ flavor: 'compatible', name: 'emulated', baseUrl: `${emu.url}/v1`, apiKey: 'bench' })
  const gateway = createDirectGateway(provider, 'gpt-4o-mini')
  const gated: number[] = []
  const raw: number[] = []
  await firstToken(gateway, false)
  for (let i = 0; i < TTFT_CALLS; i++) {
    raw.push(await firstToken(gateway, false))
    gated.push(await firstToken(gateway, true))
  }
  await emu.close()
  const p50 = (xs: number[]) => percentile(xs.sort((a, b) => a - b), 50)
  return { gated: p50(gated), raw: p50(raw) }
}

async function main(): Promise<void> {
  const stages = measureStages()
  const people = retailCustomers(CONVERSATIONS)
  const on: number[] = []
  const off: number[] = []
  for (let run = 0; run < 2; run++) {
    off.push(await checkedTurns(people, false))
    on.push(await checkedTurns(people, true))
  }
  const ttft = await timeToFirstToken()
  progress(`time to first token: ${round(ttft.raw, 1)} ms unchecked, ${round(ttft.gated, 1)} ms through the release gate`)
  const best = (xs: number[]) => Math.max(...xs)
  const f = stages.figures
  console.log(JSON.stringify({
    bench: 'guardrails', input_p50_ms: f.input!.p50, output_p50_ms: f.output!.p50, total_p50_ms: f.total!.p50, total_p99_ms: f.total!.p99,
    turns_per_s_on: round(best(on), 1), turns_per_s_off: round(best(off), 1), ratio: round(best(on) / best(off), 3),
    ttft_unchecked_ms: round(ttft.raw, 1), ttft_gated_ms: round(ttft.gated, 1), ttft_added_ms: round(ttft.gated - ttft.raw, 1),
  }))
  process.exit(0)
}

await main()
