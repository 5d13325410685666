// The model gateway each agent answers through: its routing policy by name, its own provider and model (with
// fallback) routed with the same retries, breakers, rate limits and pricing, or the deployment's default.
import { compileRoutingPolicy, type CompiledRoutingPolicy } from '../policy/index.ts'
import { createRoutingGateway, requireProviders, type ModelGateway, type Provider, type RoutingGateway } from '../providers/index.ts'
import type { RedisRoutingState } from '../storage/index.ts'
import { SWITCHBOARD_API_VERSION } from '../lib/crd.ts'
import { AppError } from '../lib/errors.ts'
import type { Logger } from '../lib/log.ts'
import type { ModelRoute } from '../resources/index.ts'

export interface ModelRouteDeps {
  /** What an agent without `model` uses: the deployment's routing policy or its AGENT_PROVIDER. */
  defaultGateway: ModelGateway
  /** The RoutingPolicy resources in force, by name (kept current as they are applied and deleted). */
  routingPolicies: ReadonlyMap<string, ModelGateway>
  /** Providers by name (`local`, and each configured in ROUTING_PROVIDERS). */
  providers: Readonly<Record<string, Provider>>
  state: RedisRoutingState
  log: Logger
}

/** Resolves an agent's `model` to a gateway; throws `config.invalid` naming what is missing. */
export function createModelRoutes(deps: ModelRouteDeps) {
  // Direct routes are rebuilt only when their spec changes: the gateway holds no per-call state.
  const direct = new Map<string, RoutingGateway>()
  return {
    gatewayFor(route: ModelRoute | undefined, agent: string): ModelGateway {
      if (!route) return deps.defaultGateway
      if (route.routingPolicy) {
        const gateway = deps.routingPolicies.get(route.routingPolicy)
        if (!gateway) throw new AppError('config.invalid', `agent ${agent}: no RoutingPolicy named ${route.routingPolicy} is in force`)
        return gateway
      }
      const key = JSON.stringify(route)
      let gateway = direct.get(key)
      if (!gateway) {
        const policy = requireProviders(directPolicy(route, agent), deps.providers)
        // Called from the provider job, which owns retries (see platform-routing.ts).
        gateway = createRoutingGateway({ policy: () => policy, providers: deps.providers, state: deps.state, log: deps.log, retryOwner: 'caller' })
        direct.set(key, gateway)
      }
      return gateway
    },
  }
}
export type ModelRoutes = ReturnType<typeof createModelRoutes>

/** A one-rule routing policy: the agent's model first, then its fallbacks, priced as the agent says. */
function directPolicy(route: ModelRoute, agent: string): CompiledRoutingPolicy {
  const primary = `${route.provider!}:${route.model ?? route.provider!}`
  const chain = [primary, ...(route.fallback ?? []).map((f) => (f.includes(':') ? f : `${f}:${f}`))]
  const free = { input: 0, output: 0 }
  const models = Object.fromEntries(chain.map((name, i) => {
    const [provider, model] = [name.slice(0, name.indexOf(':')), name.slice(name.indexOf(':') + 1)]
    return [name, { provider, model, pricePerMTok: i === 0 ? route.pricePerMTok ?? free : free }]
  }))
  return compileRoutingPolicy({
    apiVersion: SWITCHBOARD_API_VERSION, kind: 'RoutingPolicy', metadata: { name: `agent-${agent}` },
    spec: { version: `agent:${agent}`, models, rules: [], default: { chain } },
  }, `agent ${agent} model`)
}
