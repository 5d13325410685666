// Arena lanes on real platforms: each lane is an in-process platform (API and workers) on a schema and queue
// prefix of its own, whose retail database is the sandbox a trial resets and digests. A trial runs in a tenant
// of its own, defines the configuration's agent through the API and talks to it through the API, as a channel
// would. Part of the composition root: it may import every layer.
import {
  openCassette, startCassetteProxy, type ArenaConfiguration, type ArenaLane, type ArenaScenario, type Cassette, type CassetteProxy,
  type ConversingCustomer, type GoldAction, type LaneConversation,
} from './arena/index.ts'
import { loadConfig } from './lib/config.ts'
import { startPlatform, type Platform } from './platform.ts'
import { createRedisClient, createRetailSandbox, createSql, SCOPES } from './storage/index.ts'
import { createToolExecutor, createToolRegistry, RETAIL_TOOLS } from './tools/index.ts'

export interface ArenaLaneOptions {
  /** The deployment's environment: REDIS_URL, DATABASE_URL, ROUTING_PROVIDERS… (schema and prefix are the lane's own). */
  env: Record<string, string | undefined>
  /** Names the lane's schema and prefix: `arena_<name>`. */
  name: string
  /** How long one agent reply may take before the trial fails. @defaultValue 60000 */
  replyTimeoutMs?: number
}

// Vendor defaults, for providers configured without a baseUrl: the cassette proxy needs somewhere to forward.
const DEFAULT_BASE_URLS: Record<string, string> = { openai: 'https://api.openai.com/v1', anthropic: 'https://api.anthropic.com' }

export async function startArenaLane(options: ArenaLaneOptions): Promise<ArenaLane> {
  const schema = `arena_${options.name}`.toLowerCase().replace(/[^a-z0-9_]/g, '_').slice(0, 50)
  const proxy = startCassetteProxy()
  const env: Record<string, string | undefined> = { ...options.env, ROUTING_PROVIDERS: throughProxy(options.env.ROUTING_PROVIDERS, proxy) }
  const prefix = `arena-${schema}`
  const admin = createSql({ url: env.DATABASE_URL!, schema, maxConnections: 2 })
  const redis = createRedisClient(env.REDIS_URL!)
  // A lane of the same name left behind by a killed process is replaced, queues and all.
  await admin.unsafe(`drop schema if exists "${schema}" cascade; drop schema if exists "${schema}_seed" cascade`)
  await deleteKeys(redis, prefix)
  const config = loadConfig({
    ...clean(env), DATABASE_SCHEMA: schema, QUEUE_PREFIX: prefix, ROLE: 'all', PORT: '0', METRICS_PORT: '0',
    LOG_LEVEL: env.ARENA_LOG_LEVEL ?? 'error', WORKER_ID: `arena-${options.name}`,
  })
  const platform = await startPlatform(config)
  const sql = platform.storage.sql
  const sandbox = await createRetailSandbox(sql, schema)
  const gold = createToolExecutor({ registry: createToolRegistry([...RETAIL_TOOLS]), sql })
  const cassettes = new Map<string, Promise<Cassette>>()
  const cassette = (path: string) => cassettes.get(path) ?? cassettes.set(path, openCassette(path)).get(path)!
  const talk = conversation(platform, options.replyTimeoutMs ?? 60_000)
  return {
    id: options.name,
    async goldDigest(actions: GoldAction[]) {
      await sandbox.reset()
      const key = crypto.randomUUID()
      for (const [i, a] of actions.entries()) await gold.executeTool({ tool: a.name, args: a.arguments, idempotencyKey: `gold.${key}.${i}` })
      return sandbox.digest()
    },
    async converse({ key, config: c, scenario, customer }) {
      await sandbox.reset()
      const warningsBefore = proxy.stats.warnings.length
      if (c.cassette) proxy.use({ kind: c.cassette.mode, cassette: await cassette(c.cassette.path), slot: `${c.name}.${key.split('.').slice(2, 4).join('.')}` })
      try {
        const played = await talk(key, c, scenario, customer)
        const warnings = proxy.stats.warnings.slice(warningsBefore)
        return { ...played, digest: await sandbox.digest(), ...(warnings.length ? { warnings } : {}) }
      } finally {
        proxy.use({ kind: 'pass' })
        if (c.cassette?.mode === 'record') await (await cassette(c.cassette.path)).save()
      }
    },
    async close() {
      await sandbox.close()
      await platform.close()
      await proxy.close()
      await admin.unsafe(`drop schema if exists "${schema}" cascade`)
      await admin.end()
      await deleteKeys(redis, prefix)
      redis.disconnect()
    },
  }
}

/** Plays one conversation in a fresh tenant through the API. */
function conversation(platform: Platform, replyTimeoutMs: number) {
  const { storage } = platform
  return async (key: string, c: ArenaConfiguration, scenario: ArenaScenario, customer: ConversingCustomer): Promise<Omit<LaneConversation, 'digest'>> => {
    const tenantId = `arena-${hashOf(key)}`
    await storage.tenants.create({ id: tenantId, name: `arena ${key}` })
    const { key: apiKey } = await storage.apiKeys.issue(tenantId, [...SCOPES])
    const call = api(platform, apiKey)
    const agent = c.agent ?? 'demo'
    const base = await storage.resources.resolve({ tenantId, kind: 'Agent', name: agent })
    if (!base?.spec) throw new Error(`agent ${agent} is not defined`)
    const { policy: _policy, ...withoutPolicy } = base.spec as Record<string, unknown>
    const spec = {
      ...(c.policy === null ? withoutPolicy : base.spec), ...c.agentOverrides, tenant: tenantId,
      ...(c.mode ? { mode: c.mode } : {}), ...(c.model ? { model: c.model } : {}), ...(c.policy ? { policy: c.policy } : {}),
    }
    await call('PUT', `/v1/agents/${agent}`, { spec }, 200)
    const conversationId = (await call('POST', '/v1/conversations', { agent }, 201)).id as string
    if (scenario.kind === 'recorded') await seedHistory(storage, conversationId, scenario.history)
    const latencyMs: number[] = []
    let text: string | null = await customer.opening()
    let turns = 0
    while (text !== null) {
      const started = performance.now()
      const turnId = (await call('POST', `/v1/conversations/${conversationId}/messages`, { text }, 202)).id as string
      const reply = await waitFor(() => storage.arenaEvidence.replyTo(turnId), replyTimeoutMs, `the reply to turn ${turns + 1}`)
      latencyMs.push(performance.now() - started)
      turns++
      // Once with a person, the AI no longer answers: the simulated conversation ends there.
      if (await storage.arenaEvidence.escalated(conversationId)) break
      text = await customer.reply(reply)
    }
    return { conversationId, tenantId, evidence: await storage.arenaEvidence.of(conversationId), latencyMs, turns }
  }
}

function api(platform: Platform, key: string) {
  return async (method: string, path: string, body: unknown, expected: number): Promise<Record<string, unknown>> => {
    const payload = JSON.stringify(body)
    const res = await platform.app!.handle(new Request(`http://arena${path}`, {
      method, body: payload,
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(payload)) },
    }))
    const text = await res.text()
    if (res.status !== expected) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 300)}`)
    return text ? JSON.parse(text) : {}
  }
}

/** A recorded conversation's turns before the fork, as this conversation's history. */
async function seedHistory(storage: Platform['storage'], conversationId: string, history: Array<{ role: 'customer' | 'assistant'; text: string }>): Promise<void> {
  for (const [i, m] of history.entries()) {
    await storage.messages.append({ id: `${conversationId}.h${i}`, conversationId, role: m.role, text: m.text })
  }
}

async function waitFor<T>(check: () => Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (let wait = 5; ; wait = Math.min(wait * 2, 50)) {
    const value = await check()
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error(`no answer within ${timeoutMs} ms: ${what}`)
    await Bun.sleep(wait)
  }
}

/** The providers with their base URLs pointed at the lane's cassette proxy. */
function throughProxy(json: string | undefined, proxy: CassetteProxy): string | undefined {
  if (!json) return json
  const specs = JSON.parse(json) as Array<Record<string, unknown>>
  return JSON.stringify(specs.map((s) => {
    const name = String(s.name ?? s.vendor)
    const upstream = (s.baseUrl as string | undefined) ?? DEFAULT_BASE_URLS[String(s.vendor)]
    return upstream ? { ...s, baseUrl: proxy.route(name, upstream) } : s
  }))
}

function clean(env: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined))
}

function hashOf(text: string): string {
  return new Bun.CryptoHasher('sha256').update(text).digest('hex').slice(0, 20)
}

async function deleteKeys(redis: ReturnType<typeof createRedisClient>, prefix: string): Promise<void> {
  let cursor = '0'
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000)
    cursor = next
    if (keys.length > 0) await redis.unlink(...keys)
  } while (cursor !== '0')
}
