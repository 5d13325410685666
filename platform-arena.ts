// Arena lanes on real platforms: each lane is an in-process platform (API and workers) on a schema and queue
// prefix of its own, whose retail database is the sandbox a trial resets and digests. A trial runs in a tenant
// of its own, defines the configuration's agent through the API and talks to it through the API, as a channel
// would. Part of the composition root: it may import every layer.
import {
  openCassette, startCassetteProxy, type ArenaConfiguration, type ArenaLane, type ArenaScenario, type Cassette, type CassetteProxy,
  type ConversingCustomer, type GoldAction, type LaneConversation, type RecordedToolResponse, type RunnerOptions, type RunSpec, modelCustomer, sameArgs,
} from './arena/index.ts'
import { AppError } from './lib/errors.ts'
import { createProvider } from './providers/index.ts'
import { loadConfig } from './lib/config.ts'
import { createLogger, type Logger } from './lib/log.ts'
import { markRedisEpoch } from './queues/index.ts'
import { startPlatform, type Platform } from './platform.ts'
import { createRedisClient, createRetailSandbox, createSql, MERGED_STEP, SCOPES, type ConversationEvidence, type Sql } from './storage/index.ts'
import { createToolExecutor, createToolRegistry, RETAIL_TOOLS, type ToolResult } from './tools/index.ts'

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
  await clearLane(admin, redis, schema, prefix)
  // The lane starts empty on purpose: nothing to re-mail, so in-flight trials are never mailed twice at start.
  await markRedisEpoch(redis, prefix)
  const config = loadConfig({
    ...clean(env), DATABASE_SCHEMA: schema, QUEUE_PREFIX: prefix, ROLE: 'all', PORT: '0', METRICS_PORT: '0',
    LOG_LEVEL: 'error', WORKER_ID: `arena-${options.name}`,
  })
  const replays = new Map<string, Replay>()
  const platform = await startPlatform(config, {
    toolSandbox: (tenantId) => replays.get(tenantId)?.answer,
    log: quietLogger(createLogger({ role: 'arena-lane', lane: options.name }), env.ARENA_LOG_LEVEL === 'info'),
  })
  const sql = platform.storage.sql
  const sandbox = await createRetailSandbox(sql, schema)
  const gold = createToolExecutor({ registry: createToolRegistry([...RETAIL_TOOLS]), sql })
  const cassettes = new Map<string, Promise<Cassette>>()
  const cassette = (path: string) => cassettes.get(path) ?? cassettes.set(path, openCassette(path)).get(path)!
  const talk = conversation(platform, replays, options.replyTimeoutMs ?? 60_000)
  return {
    id: options.name,
    async goldDigest(actions: GoldAction[]) {
      await sandbox.reset()
      const key = crypto.randomUUID()
      for (const [i, a] of actions.entries()) await gold.executeTool({ tool: a.name, args: a.arguments, idempotencyKey: `gold.${key}.${i}` })
      return sandbox.digest()
    },
    async converse({ key, trial, config: c, scenario, customer }) {
      await sandbox.reset()
      const warningsBefore = proxy.stats.warnings.length
      if (c.cassette) proxy.use({ kind: c.cassette.mode, cassette: await cassette(c.cassette.path), slot: `${c.name}/${scenario.id}/${trial}` })
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
      await clearLane(admin, redis, schema, prefix)
      await admin.end()
      redis.disconnect()
    },
  }
}

/**
 * A recorded conversation's tool responses, answering its replay's calls with the same tool and arguments;
 * anything else runs against the lane's sandbox database, so nothing real changes either way.
 */
interface Replay {
  answer(call: { tool: string; args: unknown }, run: () => Promise<ToolResult>): Promise<ToolResult>
  /** The calls the recordings answered, for the trial's evidence. */
  answered: ConversationEvidence['toolCalls']
}

function replayOf(responses: RecordedToolResponse[]): Replay {
  const answered: Replay['answered'] = []
  return {
    answered,
    async answer(call, run) {
      const recorded = responses.find((r) => r.tool === call.tool && sameArgs(r.args, call.args))
      if (!recorded) return run()
      const result = recorded.result as ToolResult
      answered.push({ tool: call.tool, args: call.args as Record<string, unknown>, ok: result.ok, ...(result.ok ? {} : { error: result.error.message }) })
      return result
    },
  }
}

/** The model-driven customer a run asks for, on the provider of that name in ROUTING_PROVIDERS. */
export function modelCustomers(spec: RunSpec, env: Record<string, string | undefined>): RunnerOptions['customerFor'] {
  if (!spec.customer) return undefined
  const { provider: name, model } = spec.customer
  const specs = (loadConfig(clean(env)).routing.providers ?? []) as Array<{ name?: string; vendor?: string }>
  const found = specs.find((p) => (p.name ?? p.vendor) === name)
  if (!found) throw new AppError('request.invalid', `the customer's provider ${name} is not in ROUTING_PROVIDERS`)
  const provider = createProvider(found)
  return (scenario, seed) => modelCustomer(scenario.task, seed, { provider, model })
}

/** Plays one conversation in a fresh tenant through the API. */
function conversation(platform: Platform, replays: Map<string, Replay>, replyTimeoutMs: number) {
  const { storage } = platform
  return async (key: string, c: ArenaConfiguration, scenario: ArenaScenario, customer: ConversingCustomer): Promise<Omit<LaneConversation, 'digest'>> => {
    const tenantId = `arena-${hashOf(key)}`
    const replay = scenario.kind === 'recorded' ? replayOf(scenario.toolResponses) : undefined
    if (replay) replays.set(tenantId, replay)
    try {
      return await play(tenantId, key, c, scenario, customer, replay)
    } finally {
      replays.delete(tenantId)
    }
  }

  async function play(
    tenantId: string, key: string, c: ArenaConfiguration, scenario: ArenaScenario, customer: ConversingCustomer, replay: Replay | undefined,
  ): Promise<Omit<LaneConversation, 'digest'>> {
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
    // A pinned version becomes the trial tenant's own policy of that name, over the lane's platform one.
    if (c.pinnedPolicy) await call('PUT', `/v1/agentpolicies/${c.pinnedPolicy.name}`, { spec: { ...c.pinnedPolicy.spec, tenant: tenantId } }, 200)
    await call('PUT', `/v1/agents/${agent}`, { spec }, 200)
    const conversationId = (await call('POST', '/v1/conversations', { agent }, 201)).id as string
    if (scenario.kind === 'recorded') await seedHistory(storage, conversationId, scenario.history)
    const sendDraft = async (turnId: string) => {
      const draft = await storage.arenaEvidence.pendingDraft(turnId)
      if (draft) await call('POST', `/v1/drafts/${draft}/send`, { agent: 'arena-reviewer' }, 200)
      return undefined
    }
    const latencyMs: number[] = []
    let text: string | null = await customer.opening()
    let turns = 0
    while (text !== null) {
      const started = performance.now()
      const turnId = (await call('POST', `/v1/conversations/${conversationId}/messages`, { text }, 202)).id as string
      // In assist mode the agent only drafts: the lane plays the reviewer who sends each draft as written.
      const answered = async () => (await storage.arenaEvidence.replyTo(turnId)) ?? (c.mode === 'assist' ? sendDraft(turnId) : undefined)
      const reply = await waitFor(answered, replyTimeoutMs, `the reply to turn ${turns + 1}`)
      latencyMs.push(performance.now() - started)
      turns++
      // Once with a person, the AI no longer answers: the simulated conversation ends there.
      if (await storage.arenaEvidence.escalated(conversationId)) break
      text = await customer.reply(reply)
    }
    const evidence = await storage.arenaEvidence.of(conversationId)
    return { conversationId, tenantId, evidence: { ...evidence, toolCalls: [...(replay?.answered ?? []), ...evidence.toolCalls] }, latencyMs, turns }
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
    const id = `${conversationId}.h${i}`
    await storage.messages.append({ id, conversationId, role: m.role, text: m.text })
    // Answered already: recovery must never take a seeded message for mail a lost Redis dropped.
    if (m.role === 'customer') await storage.turnSteps.record(id, MERGED_STEP, { seeded: true })
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

/** Drops the lane's schemas and queues: at start, whatever a killed lane of the same name left behind. */
async function clearLane(admin: Sql, redis: ReturnType<typeof createRedisClient>, schema: string, prefix: string): Promise<void> {
  await admin.unsafe(`drop schema if exists "${schema}" cascade; drop schema if exists "${schema}_seed" cascade`)
  await deleteKeys(redis, prefix)
}

async function deleteKeys(redis: ReturnType<typeof createRedisClient>, prefix: string): Promise<void> {
  let cursor = '0'
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000)
    cursor = next
    if (keys.length > 0) await redis.unlink(...keys)
  } while (cursor !== '0')
}

/** The lane's platform logs warnings and errors only (unless ARENA_LOG_LEVEL=info): a run's output is its progress. */
function quietLogger(log: Logger, verbose: boolean): Logger {
  return verbose ? log : { ...log, debug: () => {}, info: () => {} }
}
