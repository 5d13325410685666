// Shared setup of the routing tests: the vendor emulator behind the real OpenAI SDK adapter, the real local
// model, Redis-backed routing state under a per-file prefix, and a small policy each test adjusts.
import { createVendorEmulator, type VendorEmulator } from '../../../emulator/index.ts'
import type { Logger } from '../../../lib/log.ts'
import { compileRoutingPolicy, type CompiledRoutingPolicy, type RoutingPolicy } from '../../../policy/index.ts'
import { createLocalProvider, createOpenAIProvider, createRoutingGateway, type RouteContext, type RoutingGateway } from '../../../providers/index.ts'
import { createRoutingState, type RedisRoutingState } from '../../../storage/index.ts'
import { createTestRedis, type TestRedis } from '../../support/redis.ts'

type Spec = RoutingPolicy['spec']

export const PRICES = {
  'gpt-4o': { input: 2.5, output: 10, cached: 1.25 },
  'gpt-4o-mini': { input: 0.15, output: 0.6 },
  local: { input: 0, output: 0 },
}

/** A policy routing everything to `chain`, with `openai` settings and budgets the test chooses. */
export function testPolicy(patch: Partial<Spec> = {}, chain = ['gpt-4o', 'local']): CompiledRoutingPolicy {
  const models = Object.fromEntries(Object.entries(PRICES).map(([name, pricePerMTok]) => [
    name, { provider: name === 'local' ? 'local' : 'openai', pricePerMTok },
  ]))
  const spec: Spec = { version: 'test-1', models, rules: [], default: { chain }, ...patch }
  return compileRoutingPolicy({ apiVersion: 'switchboard.dev/v1alpha1', kind: 'RoutingPolicy', metadata: { name: 'test' }, spec })
}

export const silentLog: Logger = { debug() {}, info() {}, warn() {}, error() {} }

export interface RoutingFixture {
  emu: VendorEmulator
  redis: TestRedis
  state: RedisRoutingState
  gateway: RoutingGateway
  /** Replaces the policy in force (as a hot reload would). */
  use(policy: CompiledRoutingPolicy): void
  /** Forgets scripts, recorded requests and all routing state (breakers, limits, budgets). */
  reset(): Promise<void>
  close(): Promise<void>
}

export async function createRoutingFixture(policy: CompiledRoutingPolicy): Promise<RoutingFixture> {
  const emu = createVendorEmulator()
  const redis = await createTestRedis()
  const state = createRoutingState(redis.client, redis.prefix)
  const openai = createOpenAIProvider({ name: 'openai', apiKey: 'sk-test-routing-0000', baseUrl: `${emu.url}/v1` })
  let current = policy
  const gateway = createRoutingGateway({ policy: () => current, providers: { openai, local: createLocalProvider() }, state, log: silentLog })
  return {
    emu, redis, state, gateway,
    use: (p) => void (current = p),
    async reset() {
      emu.reset()
      const keys = await redis.client.keys(`${redis.prefix}:*`)
      if (keys.length > 0) await redis.client.unlink(...keys)
    },
    close: async () => {
      await emu.close()
      await redis.cleanup()
    },
  }
}

let seq = 0
/** A fresh conversation of tenant `acme` unless told otherwise. */
export function ctx(extra: Partial<RouteContext> = {}): RouteContext {
  return { tenantId: 'acme', agent: 'retail', conversationId: `conv-${++seq}-${crypto.randomUUID().slice(0, 8)}`, ...extra }
}

export const ask = (text = 'My parcel arrived damaged and I am upset', maxTokens?: number) => ({
  system: 'You are a support agent.',
  messages: [{ role: 'user' as const, content: text }],
  ...(maxTokens ? { maxTokens } : {}),
})
