// Model routing for the worker role, when ROUTING_POLICY names a policy file: the configured vendor
// providers plus the offline `local` model behind the routing gateway, with the policy hot-reloaded.
// Part of the composition root: it may import every layer.
import type Redis from 'ioredis'
import type { Config } from './lib/config.ts'
import type { Logger } from './lib/log.ts'
import type { BudgetRemaining } from './lib/metrics.ts'
import { loadRoutingPolicy } from './policy/index.ts'
import {
  createLocalProvider, createProvider, createRoutingGateway, requireProviders, watchPolicyFile, type Provider,
  type RoutingGateway,
} from './providers/index.ts'
import { createRoutingState } from './storage/index.ts'

export interface Routing {
  gateway: RoutingGateway
  /** The source of `switchboard_budget_remaining_usd`: the tenant-wide budgets of the tenants routed so far. */
  budgets(): Promise<BudgetRemaining[]>
  close(): Promise<void>
}

/** The routing gateway when ROUTING_POLICY is set; undefined keeps the single AGENT_PROVIDER model. */
export function startRouting(config: Config, redis: Redis, log: Logger): Routing | undefined {
  const { policyPath, pollMs, providers: specs } = config.routing
  if (!policyPath) return undefined
  const providers: Record<string, Provider> = { local: createLocalProvider() }
  for (const spec of specs) {
    const provider = createProvider(spec)
    providers[provider.name] = provider
  }
  const parse = (text: string, source: string) => requireProviders(loadRoutingPolicy(text, source), providers)
  const file = watchPolicyFile({ path: policyPath, pollMs, log, parse })
  const gateway = createRoutingGateway({ policy: file.current, providers, state: createRoutingState(redis, config.redis.prefix), log })
  log.info('model routing enabled', { policy: policyPath, providers: Object.keys(providers) })
  const budgets = async () =>
    (await gateway.tenantBudgets()).map((b) => ({ scope: b.scope, tenant: b.tenantId, remainingUsd: b.remainingUsd }))
  return { gateway, budgets, close: async () => file.close() }
}
