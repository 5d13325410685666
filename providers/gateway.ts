// The seam between the provider pool and model routing: the pool asks the gateway for a completion in a
// routing context; the gateway picks the model (routing policy, fallback, budgets) and reports what it did.
import type { Provider, ProviderRequest, ProviderResponse, StreamEvent } from './provider.ts'

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
  /**
   * The vendor whose provider queue carries this call: the chain is restricted to its models (the other vendors'
   * are the caller's fallback, on their own queues). Unset: the whole chain.
   */
  vendor?: string
}

/** One vendor's share of a routed chain: its queue's name and its `provider:model` targets, in order. */
export interface VendorRoute {
  vendor: string
  path: string[]
}

export interface RoutedCompletion {
  response: ProviderResponse
  /** What this call cost, from the price table. */
  costUsd: number
  /** Every provider/model tried, in order, ending with the one that answered (e.g. ['openai:gpt-4o', 'local:local']). */
  path: string[]
  /** Set when a budget or an outage pushed the call down the chain: the reason, for the record. */
  degradedBy?: string
  /** The routing policy version that chose the model; absent when no routing policy is configured. */
  policyVersion?: string
  /** The policy rule that matched (`default` when none did); set with `policyVersion`. */
  rule?: string
}

/** A streamed completion: the model's deltas, then what the whole call came to. */
export type GatewayStreamEvent = Exclude<StreamEvent, { type: 'done' }> | { type: 'done'; routed: RoutedCompletion }

/** `model` in the request is a hint; the gateway decides. Failures are RetryableError/TerminalError. */
export interface ModelGateway {
  /**
   * The vendors this context routes to, in fallback order: decided before the queue hop, so the call goes to the
   * first vendor's queue. Unset (a test's scripted model): the `local` queue.
   */
  vendors?(ctx: RouteContext): VendorRoute[]
  complete(req: Omit<ProviderRequest, 'model'>, ctx: RouteContext): Promise<RoutedCompletion>
  /** Streams when the model can; fallback may only happen before the first event. */
  stream?(req: Omit<ProviderRequest, 'model'>, ctx: RouteContext): AsyncIterable<GatewayStreamEvent>
}

/** The vendors a gateway routes this context to; one that names none (a test's scripted model) answers on `local`. */
export function vendorsOf(gateway: ModelGateway, ctx: RouteContext): VendorRoute[] {
  return gateway.vendors?.(ctx) ?? [{ vendor: 'local', path: [] }]
}

/** One provider, one model, no routing: the default for the offline demo. */
export function createDirectGateway(provider: Provider, model: string): ModelGateway {
  const path = [`${provider.name}:${model}`]
  return {
    vendors: () => [{ vendor: provider.name, path }],
    async complete(req) {
      const response = await provider.complete({ ...req, model })
      return { response, costUsd: 0, path }
    },
    async *stream(req) {
      for await (const event of provider.stream({ ...req, model })) {
        yield event.type === 'done' ? { type: 'done', routed: { response: event.response, costUsd: 0, path } } : event
      }
    },
  }
}
