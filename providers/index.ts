// Public surface of providers/: the normalized Provider interface, the vendor adapters and the factory.
// Other folders import only from here; no vendor SDK type is exported.

export type {
  Provider,
  ProviderMessage,
  ProviderRequest,
  ProviderResponse,
  StopReason,
  StreamEvent,
  TokenUsage,
  ToolCall,
  ToolSpec,
} from './provider.ts'

/**
 * OpenAI, Azure OpenAI (`flavor: 'azure'`) or any OpenAI-compatible server (`flavor: 'compatible'`).
 *
 * @example
 * const p = createOpenAIProvider({ apiKey, baseUrl: 'http://127.0.0.1:4010/v1' })
 */
export { createOpenAIProvider } from './vendors.ts'
export type { OpenAIProviderOptions } from './openai/openai-provider.ts'

/**
 * Anthropic messages API, direct or on a cloud platform (`flavor: 'bedrock' | 'vertex'`).
 *
 * @example
 * const p = createAnthropicProvider({ apiKey: config.anthropic.apiKey })
 * const q = createAnthropicProvider({ flavor: 'bedrock', region: 'us-east-1' })
 * const r = createAnthropicProvider({ flavor: 'vertex', region: 'us-east5', projectId: 'acme-support' })
 */
export { createAnthropicProvider } from './vendors.ts'
export type { AnthropicProviderOptions } from './anthropic/anthropic-provider.ts'

/**
 * Gemini via `@google/genai`: the Developer API, or Vertex AI with `flavor: 'vertex'`; `baseUrl` points
 * it elsewhere (e.g. the emulator).
 *
 * @example
 * const p = createGeminiProvider({ apiKey: config.gemini.apiKey })
 * const q = createGeminiProvider({ flavor: 'vertex', project: 'acme-support', location: 'europe-west4' })
 */
export { createGeminiProvider } from './vendors.ts'
export type { GeminiProviderOptions } from './gemini/gemini-provider.ts'

/**
 * Amazon Bedrock Converse / ConverseStream for any Bedrock model.
 *
 * @example
 * const p = createBedrockProvider({ region: 'us-east-1' })
 */
export { createBedrockProvider } from './vendors.ts'
export type { BedrockProviderOptions } from './bedrock/bedrock-provider.ts'

/**
 * Builds a provider from a plain config object; throws `TerminalError('config.invalid')` naming each
 * bad field (never its value).
 *
 * @example
 * const p = createProvider({ vendor: 'openai-compatible', baseUrl: 'http://127.0.0.1:4010/v1' })
 * const q = createProvider({ vendor: 'bedrock', region: 'eu-west-1' })
 */
export { createProvider } from './create-provider.ts'
/** Validates a provider config without building it (for config reload checks). */
export { parseProviderSpec } from './create-provider.ts'
/** Where `vendor: 'ollama'` points when no baseUrl is given. */
export { OLLAMA_BASE_URL } from './create-provider.ts'
/** TypeBox schema and type of a provider config: one object per vendor, discriminated by `vendor`. */
export { ProviderSpec } from './provider-spec.ts'
export type { Vendor } from './provider-spec.ts'
/** Parses Retry-After / retry-after-ms into milliseconds; shared with routing for non-SDK calls. */
export { retryAfterMs } from './errors.ts'

/**
 * The offline, deterministic `local` model: intent classification, retail entity extraction and
 * tool-grounded replies; `isLocalEscalation(res)` says it wants a human to take over.
 * @example const local = createLocalProvider()
 */
export { createLocalProvider, isLocalEscalation, classify, type IntentClassification } from './local/index.ts'
export type { LocalProvider } from './local/index.ts'
/**
 * The topic guardrail (out-of-scope detection next to the local intent model); it needs no vendor.
 * @example checkTopic('tell me a joke', 'escalate').verdict // 'escalate'
 */
export { checkTopic } from './local/index.ts'
export type { OutOfScopeAction, TopicResult } from './local/index.ts'

/** The seam between the provider pool and model routing. */
export { createDirectGateway, type GatewayStreamEvent, type ModelGateway, type RouteContext, type RoutedCompletion, type VendorRoute, vendorsOf } from './gateway.ts'
export { fallsBack } from './routing/call-chain.ts'

/** Instant acknowledgement provider for load tests (optionally with simulated latency). */
export { createEchoProvider } from './echo.ts'
/** Personal data sealed before vendor models see it, opened again in what they answer. */
export type { PrivacyFilter } from './privacy.ts'

/**
 * The routing ModelGateway: policy-chosen chains with fallback, retries honouring Retry-After, circuit
 * breakers and rate limits shared across processes (through `RoutingState`), pricing and budgets.
 *
 * @example
 * const set = await watchPolicySet({ read, compile, log })
 * const gateway = createRoutingGateway({ policy: () => set.current('retail-default')!, providers: { openai, local }, state: createRoutingState(redis, prefix) })
 */
export { createRoutingGateway, requireProviders } from './routing/routing-gateway.ts'
export type { RoutedStreamEvent, RoutingGateway, RoutingGatewayOptions, RoutingOutcome } from './routing/routing-gateway.ts'
export type {
  Admission, BreakerState, BudgetScope, BudgetSpend, BudgetStatus, BudgetSubject, ModelTarget, ProviderSettings, RoutingPlan, RoutingState,
  TenantBudgetStatus,
} from './routing/routing-plan.ts'
/** Hot reload of the policies in force (a polled source); an invalid new version keeps the last good one and is logged. */
export { watchPolicySet } from './routing/policy-set.ts'
export type { PolicySet, PolicySetOptions, PolicySource } from './routing/policy-set.ts'
