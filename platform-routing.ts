// Model routing for the worker role: the offline `local` model and the vendor providers of ROUTING_PROVIDERS,
// the routing policies of ROUTING_POLICY (hot-reloaded, addressed by name from agents' `model.routingPolicy`),
// and the default gateway for agents without a model of their own. Part of the composition root.
import type Redis from 'ioredis'
import type { Config } from './lib/config.ts'
import type { Logger } from './lib/log.ts'
import type { BudgetRemaining } from './lib/metrics.ts'
import { loadRoutingPolicy } from './policy/index.ts'
import {
  createDirectGateway, createEchoProvider, createLocalProvider, createProvider, createRoutingGateway, parseProviderSpec, requireProviders,
  watchPolicyFile, type ModelGateway, type Provider, type RoutingGateway,
} from './providers/index.ts'
import { AppError } from './lib/errors.ts'
import { createRoutingState, type RedisRoutingState } from './storage/index.ts'

export interface Routing {
  /** What agents without a `model` of their own answer through: the first routing policy, else AGENT_PROVIDER. */
  defaultGateway: ModelGateway
  /** Each loaded routing policy's gateway, by the policy's `metadata.name`. */
  policies: ReadonlyMap<string, ModelGateway>
  providers: Readonly<Record<string, Provider>>
  state: RedisRoutingState
  /** The source of `switchboard_budget_remaining_usd`: the tenant-wide budgets of the tenants routed so far. */
  budgets(): Promise<BudgetRemaining[]>
  close(): Promise<void>
}

/** Every provider the deployment names, each with its own provider queue: the `provider` label's bounded set. */
export function providerQueueNames(config: Config): string[] {
  const named = config.routing.providers.map((spec) => {
    const parsed = parseProviderSpec(spec)
    return parsed.name ?? parsed.vendor
  })
  return [...new Set(['local', ...(config.agent.provider === 'echo' ? ['echo'] : []), ...named])]
}

/** The provider queues this worker serves (PROVIDER_QUEUES); naming one the deployment lacks stops the process. */
export function servedProviderQueues(config: Config): string[] {
  const all = providerQueueNames(config)
  const { providerQueues } = config.worker
  if (providerQueues === '*') return all
  const unknown = providerQueues.filter((q) => !all.includes(q))
  if (unknown.length > 0) throw new AppError('config.invalid', `PROVIDER_QUEUES: no provider named ${unknown.join(', ')} (configured: ${all.join(', ')})`)
  return providerQueues
}

function configuredProviders(config: Config): Record<string, Provider> {
  const providers: Record<string, Provider> = { local: createLocalProvider() }
  for (const spec of config.routing.providers) {
    const provider = createProvider(spec)
    providers[provider.name] = provider
  }
  return providers
}

/** `seam` replaces the default model (tests script replies through it); agents' own routes still apply. */
export function startRouting(config: Config, redis: Redis, log: Logger, seam?: ModelGateway): Routing {
  const { policyPaths, pollMs } = config.routing
  const providers = configuredProviders(config)
  const state = createRoutingState(redis, config.redis.prefix)
  const parse = (text: string, source: string) => requireProviders(loadRoutingPolicy(text, source), providers)
  const files = policyPaths.map((path) => watchPolicyFile({ path, pollMs, log, parse }))
  // The provider job owns retries (BullMQ attempts and rate limiter, within the caller's deadline): the chain makes one
  // attempt per model and never sleeps inside the job.
  const gateways = files.map((file) => ({
    name: file.current().name, gateway: createRoutingGateway({ policy: file.current, providers, state, log, retryOwner: 'caller' }),
  }))
  if (files.length > 0) log.info('model routing enabled', { policies: policyPaths, providers: Object.keys(providers) })
  const fallback = config.agent.provider === 'echo'
    ? createDirectGateway(createEchoProvider(config.agent.echoDelayMs), 'echo')
    : createDirectGateway(providers.local!, 'local')
  const routed: RoutingGateway[] = gateways.map((g) => g.gateway)
  return {
    defaultGateway: seam ?? gateways[0]?.gateway ?? fallback,
    policies: new Map(gateways.map((g) => [g.name, g.gateway])),
    providers,
    state,
    budgets: async () => (await Promise.all(routed.map((g) => g.tenantBudgets()))).flat()
      .map((b) => ({ scope: b.scope, tenant: b.tenantId, remainingUsd: b.remainingUsd })),
    close: async () => files.forEach((f) => f.close()),
  }
}
