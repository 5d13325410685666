// The routing policy's schema: one TypeBox object that validates YAML files and is the openAPIV3Schema of
// the RoutingPolicy custom resource. Kept structural (no unions of objects) so Kubernetes accepts it as is.
import { Type, type Static } from '@sinclair/typebox'
import { resourceSchema, SWITCHBOARD_API_VERSION } from '../../lib/crd.ts'
import { LONGEST_PROVIDER_CALL_MS } from '../../lib/limits.ts'

const Name = Type.String({ minLength: 1, pattern: '^[A-Za-z0-9._:/-]+$' })
const Usd = Type.Number({ minimum: 0, description: 'US dollars' })
const PerMTok = Type.Number({ minimum: 0, description: 'US dollars per million tokens' })
const Ms = (description: string) => Type.Integer({ minimum: 1, description })
const Names = Type.Array(Name, { minItems: 1 })

export const ModelPrice = Type.Object({
  input: PerMTok,
  output: PerMTok,
  /** Cache reads; absent bills them at the input price. */
  cached: Type.Optional(PerMTok),
}, { additionalProperties: false })
export type ModelPrice = Static<typeof ModelPrice>

/** A routable model: which provider serves it, under which vendor model id, at which price. */
export const ModelEntry = Type.Object({
  provider: Name,
  /** The vendor's model id. @defaultValue the entry's key */
  model: Type.Optional(Type.String({ minLength: 1 })),
  pricePerMTok: ModelPrice,
}, { additionalProperties: false })

export const RetrySettings = Type.Object({
  /** Calls to one model before moving down the chain. @defaultValue 2 */
  attempts: Type.Optional(Type.Integer({ minimum: 1, maximum: 10 })),
  /** First backoff; doubles per attempt. @defaultValue 200 */
  baseDelayMs: Type.Optional(Ms('first retry delay, ms')),
  /** Longest inline wait; a longer Retry-After moves down the chain (or back to the pool's backoff). @defaultValue 2000 */
  maxDelayMs: Type.Optional(Ms('longest inline wait, ms')),
}, { additionalProperties: false })

export const BreakerSettings = Type.Object({
  /** Retryable failures within `windowMs` that open the circuit. @defaultValue 5 */
  failureThreshold: Type.Optional(Type.Integer({ minimum: 1 })),
  /** @defaultValue 30000 */
  windowMs: Type.Optional(Ms('failure counting window, ms')),
  /** How long an open circuit refuses calls before one half-open probe. @defaultValue 15000 */
  openMs: Type.Optional(Ms('open state duration, ms')),
}, { additionalProperties: false })

export const ProviderPolicy = Type.Object({
  /** Across every worker process; absent is unlimited. */
  requestsPerMinute: Type.Optional(Type.Integer({ minimum: 1 })),
  tokensPerMinute: Type.Optional(Type.Integer({ minimum: 1 })),
  /** Length of the rate-limit window; tests shorten it. @defaultValue 60000 */
  rateWindowMs: Type.Optional(Ms('rate-limit window, ms')),
  /** Deadline of one call; at most the longest call the workers' shutdown grace outlasts. @defaultValue 30000 */
  timeoutMs: Type.Optional(Type.Integer({ minimum: 1, maximum: LONGEST_PROVIDER_CALL_MS, description: 'call deadline, ms' })),
  retry: Type.Optional(RetrySettings),
  circuitBreaker: Type.Optional(BreakerSettings),
}, { additionalProperties: false })

/** Every listed field must hold; a list means any of its values; an absent field matches anything. */
export const RouteMatch = Type.Object({
  agent: Type.Optional(Names),
  intent: Type.Optional(Names),
  maturity: Type.Optional(Type.Array(Type.Union([Type.Literal('assist'), Type.Literal('execute'), Type.Literal('operate')]), { minItems: 1 })),
  segment: Type.Optional(Names),
  channel: Type.Optional(Names),
}, { additionalProperties: false })

/** Exactly one of `chain` (ordered fallback) or `split` (weighted pick, then the others, then `fallback`). */
export const RouteTarget = Type.Object({
  chain: Type.Optional(Names),
  split: Type.Optional(Type.Array(Type.Object({ model: Name, weight: Type.Number({ exclusiveMinimum: 0 }) }, { additionalProperties: false }), { minItems: 1 })),
  fallback: Type.Optional(Names),
}, { additionalProperties: false })

export const RouteRule = Type.Object({
  name: Name,
  match: RouteMatch,
  ...RouteTarget.properties,
}, { additionalProperties: false })

export const BudgetLimits = Type.Object({
  conversationUsd: Type.Optional(Usd),
  customerDailyUsd: Type.Optional(Usd),
  tenantDailyUsd: Type.Optional(Usd),
  tenantMonthlyUsd: Type.Optional(Usd),
}, { additionalProperties: false })
export type BudgetLimits = Static<typeof BudgetLimits>

export const BudgetPolicy = Type.Object({
  ...BudgetLimits.properties,
  /** Where a breach degrades to once no cheaper model fits. @defaultValue 'local' */
  localModel: Type.Optional(Name),
  /** Output tokens assumed when estimating a call and the request sets no maxTokens. @defaultValue 400 */
  expectedOutputTokens: Type.Optional(Type.Integer({ minimum: 1 })),
  /** Per-tenant overrides of the limits above. */
  tenants: Type.Optional(Type.Record(Type.String({ minLength: 1 }), BudgetLimits)),
}, { additionalProperties: false })

export const RoutingPolicySpec = Type.Object({
  /** Recorded with every routing decision; bump it on each change. */
  version: Type.String({ minLength: 1 }),
  models: Type.Record(Name, ModelEntry),
  /** Settings applied to every provider, under each provider's own. */
  defaults: Type.Optional(ProviderPolicy),
  providers: Type.Optional(Type.Record(Name, ProviderPolicy)),
  /** Tried in order; the first match decides. */
  rules: Type.Array(RouteRule),
  /** Where a request no rule matches goes. */
  default: RouteTarget,
  budgets: Type.Optional(BudgetPolicy),
}, { additionalProperties: false })
export type RoutingPolicySpec = Static<typeof RoutingPolicySpec>

export const ROUTING_API_VERSION = SWITCHBOARD_API_VERSION

export const RoutingPolicy = resourceSchema('RoutingPolicy', RoutingPolicySpec)
export type RoutingPolicy = Static<typeof RoutingPolicy>
export type RouteTarget = Static<typeof RouteTarget>
export type RouteMatch = Static<typeof RouteMatch>
export type ProviderPolicy = Static<typeof ProviderPolicy>
