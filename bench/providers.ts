// bench:providers: the same requests sent straight to the vendor emulator with the OpenAI SDK, and through
// Switchboard's routing gateway behind a BullMQ provider-pool hop (the vendor's own queue, a job carrying message ids
// whose words the handler reads back from Postgres, as the provider actor does), in one run with a fixed emulator latency.
// Usage: bun bench/providers.ts [requests]. Progress on stderr; the last stdout line is the JSON result.
import OpenAI from 'openai'
import type { PoolHandlers, ProviderComplete } from '../actors/protocol.ts'
import { createVendorEmulator } from '../emulator/index.ts'
import { TerminalError } from '../lib/errors.ts'
import { createLogger } from '../lib/log.ts'
import { loadRoutingPolicy } from '../policy/index.ts'
import { createLocalProvider, createOpenAIProvider, createRoutingGateway, type RoutingGateway } from '../providers/index.ts'
import { toProviderMessages } from '../actors/provider/provider-actor.ts'
import { windowTurns } from '../actors/turn-prompt.ts'
import { createDeadLetter, createPoolClient, createRedis, startPoolWorkers } from '../queues/index.ts'
import { createRoutingState, createStorage, type Storage } from '../storage/index.ts'
import { createBenchEnv, deleteKeys, percentile, progress, redisUrl, round } from './support.ts'

const REQUESTS = Number(process.argv[2] ?? 300)
const STREAMS = Math.min(REQUESTS, 150)
const WARMUP = 30
const EMULATOR_LATENCY_MS = 20
const KEY = 'sk-bench-0000000000'
const TEXT = 'My parcel arrived damaged, what can I do about it?'

// Every routing feature on the hot path: a rule, a fallback, rate limits, a breaker and four budgets.
const POLICY = `
apiVersion: switchboard.dev/v1alpha1
kind: RoutingPolicy
metadata: { name: bench }
spec:
  version: bench-1
  models:
    gpt-4o-mini: { provider: openai, pricePerMTok: { input: 0.15, output: 0.6 } }
    local: { provider: local, pricePerMTok: { input: 0, output: 0 } }
  providers:
    openai: { requestsPerMinute: 1000000, tokensPerMinute: 1000000000 }
  rules:
    - { name: tier1, match: { intent: [track_order] }, chain: [local] }
  default: { chain: [gpt-4o-mini, local] }
  budgets: { conversationUsd: 100, customerDailyUsd: 100, tenantDailyUsd: 10000, tenantMonthlyUsd: 100000 }
`

const unsupported = async (): Promise<never> => {
  throw new TerminalError('internal', 'not part of the provider benchmark')
}

function providerHandlers(gateway: RoutingGateway, storage: Storage): PoolHandlers {
  return {
    'provider.complete': async (req) => {
      const { route, context, agent, turnId, vendor } = req.payload
      const rows = await storage.turnSteps.context(turnId, context, 'guardrail.input')
      const messages = toProviderMessages(windowTurns(context, rows))
      const ctx = { ...route, agent, conversationId: req.conversationId, vendor }
      const { response, costUsd, path } = await gateway.complete({ messages }, ctx)
      const { text, toolCalls, provider, model, usage } = response
      return { text, toolCalls, provider, model, usage, costUsd, path }
    },
    'tool.invoke': unsupported,
    'escalation.open': unsupported,
    'outreach.send': unsupported,
  }
}

const CONVERSATIONS = 50

function poolRequest(i: number): ProviderComplete {
  const conversationId = `bench-conv-${i % CONVERSATIONS}`
  return {
    v: 1, id: `bench-${crypto.randomUUID()}`, kind: 'provider.complete', conversationId, sentAt: Date.now(),
    payload: {
      turnId: `turn-${i}`, step: 'model.1', agent: 'retail', vendor: 'openai', context: [`${conversationId}-m`],
      route: { tenantId: 'bench', customerId: `cust-${i % 20}` },
    },
  }
}

const timed = async (run: () => Promise<unknown>) => {
  const started = performance.now()
  await run()
  return performance.now() - started
}

/** Time from opening a stream (request included) to its first token. */
async function firstToken<T>(open: () => Promise<AsyncIterable<T>> | AsyncIterable<T>, isToken: (e: T) => boolean): Promise<number> {
  const started = performance.now()
  let ttft = NaN
  for await (const e of await open()) if (Number.isNaN(ttft) && isToken(e)) ttft = performance.now() - started
  return ttft
}

/** Runs both sides alternately so drift on the shared machine hits them equally. */
async function alternate(n: number, direct: (i: number) => Promise<number>, routed: (i: number) => Promise<number>) {
  const d: number[] = []
  const r: number[] = []
  for (let i = 0; i < n; i++) {
    d.push(await direct(i))
    r.push(await routed(i))
  }
  return { direct: d.sort((a, b) => a - b), routed: r.sort((a, b) => a - b) }
}

async function main(): Promise<void> {
  const prefix = `bench-providers-${crypto.randomUUID().slice(0, 8)}`
  const emu = createVendorEmulator({ latencyMs: EMULATOR_LATENCY_MS })
  const sdk = new OpenAI({ baseURL: `${emu.url}/v1`, apiKey: KEY, maxRetries: 0 })
  const bull = createRedis(redisUrl(), 'bench-providers')
  const stateRedis = createRedis(redisUrl(), 'bench-providers-state')
  const policy = loadRoutingPolicy(POLICY, 'bench policy')
  const gateway = createRoutingGateway({
    policy: () => policy,
    providers: { openai: createOpenAIProvider({ name: 'openai', apiKey: KEY, baseUrl: `${emu.url}/v1` }), local: createLocalProvider() },
    state: createRoutingState(stateRedis, prefix),
  })
  const log = createLogger({ bench: 'providers' })
  const env = await createBenchEnv('providers')
  const storage = createStorage(env.sql, stateRedis, prefix)
  for (let c = 0; c < CONVERSATIONS; c++) {
    await storage.sessions.append([{ id: `bench-conv-${c}-m`, conversationId: `bench-conv-${c}`, role: 'customer', text: TEXT }])
  }
  const concurrency = { provider: 8, guardrail: 1, tool: 1, escalation: 1, outreach: 1 }
  const poolOptions = { prefix, concurrency, lockDurationMs: 30_000, providerQueues: ['openai'] }
  const workers = startPoolWorkers(bull, poolOptions, providerHandlers(gateway, storage), { deadLetter: createDeadLetter(bull, prefix), log })
  const pool = createPoolClient(bull, redisUrl(), prefix)
  const messages = [{ role: 'user' as const, content: TEXT }]

  const direct = () => timed(() => sdk.chat.completions.create({ model: 'gpt-4o-mini', messages }))
  const routed = (i: number) => timed(async () => {
    const out = await pool.call(poolRequest(i))
    if (out.path[0] !== 'openai:gpt-4o-mini') throw new Error(`unexpected route ${out.path.join(' → ')}`)
  })
  progress(`warming up (${WARMUP} requests each, emulator latency ${EMULATOR_LATENCY_MS} ms)`)
  await alternate(WARMUP, direct, routed)
  progress(`completions: ${REQUESTS} direct and ${REQUESTS} through routing + provider pool, alternating`)
  const complete = await alternate(REQUESTS, direct, routed)

  progress(`time to first token: ${STREAMS} streams each`)
  progress('note: the provider pool returns whole completions (no streaming over BullMQ), so routed TTFT is measured on the routing gateway\'s streaming path directly')
  const ctx = { tenantId: 'bench', agent: 'retail', conversationId: 'bench-stream', customerId: 'cust-s' }
  const directTtft = () => firstToken(
    () => sdk.chat.completions.create({ model: 'gpt-4o-mini', messages, stream: true }),
    (c) => Boolean(c.choices[0]?.delta?.content),
  )
  const routedTtft = () => firstToken(() => gateway.stream({ messages }, ctx), (e) => e.type === 'text')
  const ttft = await alternate(STREAMS, directTtft, routedTtft)

  await workers.close()
  await pool.close()
  await deleteKeys(prefix, bull)
  await env.cleanup()
  bull.disconnect()
  stateRedis.disconnect()
  await emu.close()

  const p = (xs: number[], q: number) => round(percentile(xs, q))
  const result = {
    bench: 'providers',
    direct_p50_ms: p(complete.direct, 50),
    routed_p50_ms: p(complete.routed, 50),
    added_p50_ms: round(percentile(complete.routed, 50) - percentile(complete.direct, 50)),
    added_p99_ms: round(percentile(complete.routed, 99) - percentile(complete.direct, 99)),
    direct_ttft_ms: p(ttft.direct, 50),
    routed_ttft_ms: p(ttft.routed, 50),
    added_ttft_ms: round(percentile(ttft.routed, 50) - percentile(ttft.direct, 50)),
  }
  progress(`direct p99 ${p(complete.direct, 99)} ms, routed p99 ${p(complete.routed, 99)} ms (bar: added p50 ≤ 5, p99 ≤ 25, TTFT ≤ 10)`)
  console.log(JSON.stringify(result))
}

await main()
