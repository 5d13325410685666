// The seam between the provider pool and model routing: the pool asks the gateway for a completion in a
// routing context; the gateway picks the model (routing policy, fallback, budgets) and reports what it did.
import type { Provider, ProviderRequest, ProviderResponse } from './provider.ts'

/** Who is asking: what routing policies match on and budgets are charged to. */
export interface RouteContext {
  tenantId: string
  agent: string
  conversationId: string
  customerId?: string
  /** Conversation type, from the intent model. */
  intent?: string
  /** Autonomy level of the agent: assist → execute → operate. */
  maturity?: 'assist' | 'execute' | 'operate'
  segment?: string
  channel?: string
}

export interface RoutedCompletion {
  response: ProviderResponse
  /** What this call cost, from the price table. */
  costUsd: number
  /** Every provider/model tried, in order, ending with the one that answered (e.g. ['openai:gpt-4o', 'local:local']). */
  path: string[]
  /** Set when a budget or an outage pushed the call down the chain: the reason, for the record. */
  degradedBy?: string
}

/** `model` in the request is a hint; the gateway decides. Failures are RetryableError/TerminalError. */
export interface ModelGateway {
  complete(req: Omit<ProviderRequest, 'model'>, ctx: RouteContext): Promise<RoutedCompletion>
}

/** One provider, one model, no routing: the default for the offline demo. */
export function createDirectGateway(provider: Provider, model: string): ModelGateway {
  return {
    async complete(req) {
      const response = await provider.complete({ ...req, model })
      return { response, costUsd: 0, path: [`${provider.name}:${model}`] }
    },
  }
}
