// Model routing for the worker role: the offline `local` model and the vendor providers of ROUTING_PROVIDERS,
// the RoutingPolicy resources in force in the versioned store (hot-reloaded, addressed by name from agents'
// `model.routingPolicy`), and the default gateway for agents without a model of their own. ROUTING_POLICY files
// reach the store through the resource loader (platform-resources.ts). Part of the composition root.
import { readFileSync } from 'node:fs'
import type Redis from 'ioredis'
import type { Config } from './lib/config.ts'
import { SWITCHBOARD_API_VERSION } from './lib/crd.ts'
import type { Logger } from './lib/log.ts'
import type { BudgetRemaining } from './lib/metrics.ts'
import { compileRoutingPolicy, type CompiledRoutingPolicy, type RoutingPolicySpec } from './policy/index.ts'
import {
  createDirectGateway, createEchoProvider, createLocalProvider, createProvider, createRoutingGateway, parseProviderSpec, requireProviders,
  vendorsOf, watchPolicySet, type GatewayStreamEvent, type ModelGateway, type PolicySet, type Provider, type RoutingGateway,
} from './providers/index.ts'
import { AppError } from './lib/errors.ts'
import { parseResourceDocuments, PLATFORM_TENANT } from './resources/index.ts'
import { createRoutingRejections, createRoutingState, type RedisRoutingState, type Resources, type RoutingRejections } from './storage/index.ts'
import type { RoutingRejection } from './lib/routing-rejection.ts'

export interface Routing {
  /** What agents without a `model` of their own answer through: the default routing policy, else AGENT_PROVIDER. */
  defaultGateway: ModelGateway
  /** Each routing policy in force, by its name; kept current as policies are applied and deleted. */
  policies: ReadonlyMap<string, ModelGateway>
  providers: Readonly<Record<string, Provider>>
  /** The providers that run in this process (`local`, `echo`): their model calls make no queue hop (queues/in-process.ts). */
  inProcessVendors: ReadonlySet<string>
  state: RedisRoutingState
  /** The source of `switchboard_budget_remaining_usd`: the tenant-wide budgets of the tenants routed so far. */
  budgets(): Promise<BudgetRemaining[]>
  /** Reads the store now (the poll does it every ROUTING_POLICY_POLL_MS). */
  refresh(): Promise<void>
  close(): Promise<void>
}

// The built-in providers, which run in every worker's own process and so have no queue.
const IN_PROCESS_PROVIDERS = ['local', 'echo']

/** Every vendor provider the deployment names, each with its own provider queue: the `provider` label's bounded set. */
export function providerQueueNames(config: Config): string[] {
  return [...new Set(config.routing.providers.map((spec) => {
    const parsed = parseProviderSpec(spec)
    return parsed.name ?? parsed.vendor
  }))]
}

/** The built-in providers whose provider queues earlier versions used: no worker of this version serves them. */
export function retiredProviderVendors(config: Config): string[] {
  const all = providerQueueNames(config)
  return IN_PROCESS_PROVIDERS.filter((vendor) => !all.includes(vendor))
}

/**
 * The provider queues this worker serves (PROVIDER_QUEUES); naming one the deployment lacks stops the process. A
 * built-in provider may be named (configurations from before it ran in process do): it has no queue to serve.
 */
export function servedProviderQueues(config: Config): string[] {
  const all = providerQueueNames(config)
  const { providerQueues } = config.worker
  if (providerQueues === '*') return all
  const unknown = providerQueues.filter((q) => !all.includes(q) && !IN_PROCESS_PROVIDERS.includes(q))
  if (unknown.length > 0) throw new AppError('config.invalid', `PROVIDER_QUEUES: no provider named ${unknown.join(', ')} (configured: ${all.join(', ') || 'none'})`)
  return providerQueues.filter((q) => all.includes(q))
}

function configuredProviders(config: Config): Record<string, Provider> {
  const providers: Record<string, Provider> = { local: createLocalProvider() }
  for (const spec of config.routing.providers) {
    const provider = createProvider(spec)
    providers[provider.name] = provider
  }
  return providers
}

/** ROUTING_DEFAULT_POLICY, else the policy of the first ROUTING_POLICY file. */
function defaultPolicyName(config: Config): string | undefined {
  const { defaultPolicy, policyPaths } = config.routing
  if (defaultPolicy || policyPaths.length === 0) return defaultPolicy
  const first = policyPaths[0]!
  return parseResourceDocuments(readFileSync(first, 'utf8'), first).find((d) => d.kind === 'RoutingPolicy')?.metadata.name
}

/** A gateway that answers through whichever gateway `pick` names at the time of each call. */
function delegating(pick: () => ModelGateway): ModelGateway {
  return {
    vendors: (ctx) => vendorsOf(pick(), ctx),
    complete: (req, ctx) => pick().complete(req, ctx),
    async *stream(req, ctx): AsyncIterable<GatewayStreamEvent> {
      const gateway = pick()
      if (gateway.stream) yield* gateway.stream(req, ctx)
      else yield { type: 'done', routed: await gateway.complete(req, ctx) }
    },
  }
}

// A refusal is rewritten this often while it lasts, and stands three times as long: a worker that stops (or is
// fixed and restarts as another) drops out of the resource's status within a minute or so.
const REJECTION_REPORT_MS = 20_000

/** Keeps this worker's refusals in Redis for the API: written when they change, and again every REJECTION_REPORT_MS. */
function rejectionReporter(store: RoutingRejections, worker: string, pollMs: number, log: Logger) {
  const ttlMs = 3 * Math.max(REJECTION_REPORT_MS, pollMs)
  let last = '[]'
  let at = 0
  const write = (rejections: RoutingRejection[]) => store.report(worker, rejections, ttlMs)
    .catch((error: Error) => {
      last = ''
      log.warn('routing policy refusals not reported', { error })
    })
  return {
    report(rejections: RoutingRejection[]): void {
      const now = Date.now()
      const json = JSON.stringify(rejections)
      if (json === last && (rejections.length === 0 || now - at < REJECTION_REPORT_MS)) return
      last = json
      at = now
      void write(rejections)
    },
    clear: () => write([]),
  }
}

/** `seam` replaces the default model (tests script replies through it); agents' own routes still apply. */
export async function startRouting(config: Config, storage: { redis: Redis; resources: Pick<Resources, 'inForce'> }, log: Logger, seam?: ModelGateway): Promise<Routing> {
  const providers = configuredProviders(config)
  const state = createRoutingState(storage.redis, config.redis.prefix)
  // One gateway per name for as long as the name is in force: it reads the version in force on every call.
  const gateways = new Map<string, RoutingGateway>()
  const rejections = rejectionReporter(createRoutingRejections(storage.redis, config.redis.prefix), config.workerId, config.routing.pollMs, log)
  const set: PolicySet<CompiledRoutingPolicy> = await watchPolicySet<CompiledRoutingPolicy>({
    log, pollMs: config.routing.pollMs,
    read: async () => (await storage.resources.inForce('RoutingPolicy'))
      .filter((r) => r.tenantId === PLATFORM_TENANT)
      .map((r) => ({ name: r.name, revision: r.version, spec: r.spec })),
    compile: (name, spec) => requireProviders(compileRoutingPolicy({
      apiVersion: SWITCHBOARD_API_VERSION, kind: 'RoutingPolicy', metadata: { name }, spec: spec as RoutingPolicySpec,
    }, `RoutingPolicy ${name}`), providers),
    onChange(names) {
      // The provider job owns retries (BullMQ attempts and rate limiter, within the caller's deadline): the chain
      // makes one attempt per model and never sleeps inside the job.
      for (const name of names) {
        if (!gateways.has(name)) gateways.set(name, createRoutingGateway({ policy: () => set.current(name)!, providers, state, log, retryOwner: 'caller' }))
      }
      for (const name of [...gateways.keys()]) if (!names.includes(name)) gateways.delete(name)
    },
    onRejections: rejections.report,
  })
  // The benchmarks' instant model answers for agents without a model of their own; routing policies never name it.
  const echo = config.agent.provider === 'echo' ? createEchoProvider(config.agent.echoDelayMs) : undefined
  const fallback = createDirectGateway(echo ?? providers.local!, echo ? 'echo' : 'local')
  const defaultName = defaultPolicyName(config)
  if (defaultName) log.info('model routing enabled', { defaultPolicy: defaultName, policies: set.names(), providers: Object.keys(providers) })
  return {
    defaultGateway: seam ?? (defaultName ? delegating(() => gateways.get(defaultName) ?? fallback) : fallback),
    policies: gateways,
    providers,
    inProcessVendors: new Set([...Object.values(providers), ...(echo ? [echo] : [])].filter((p) => p.inProcess).map((p) => p.name)),
    state,
    budgets: async () => (await Promise.all([...gateways.values()].map((g) => g.tenantBudgets()))).flat()
      .map((b) => ({ scope: b.scope, tenant: b.tenantId, remainingUsd: b.remainingUsd })),
    refresh: async () => void (await set.refresh()),
    close: async () => {
      set.close()
      await rejections.clear()
    },
  }
}
