// The ports routing runs against: the compiled policy (policy/routing builds it, the composition root passes
// it in, so providers/ never imports policy/) and the cross-process state (storage/redis implements it).
import type { RouteContext } from '../gateway.ts'
import type { TokenUsage } from '../provider.ts'

/** One model as routing sees it: the provider that serves it and the vendor's id for it. */
export interface ModelTarget {
  /** The policy's name for the model, used in decisions and `degradedBy`. */
  name: string
  provider: string
  model: string
}

export interface ProviderSettings {
  timeoutMs: number
  retry: { attempts: number; baseDelayMs: number; maxDelayMs: number }
  breaker: { failureThreshold: number; windowMs: number; openMs: number }
  rate: { requestsPerMinute?: number; tokensPerMinute?: number; windowMs: number }
}

export type BudgetScope = 'conversation' | 'customerDay' | 'tenantDay' | 'tenantMonth'
export type BudgetSpend = Partial<Record<BudgetScope, number>>

export interface BudgetStatus {
  scope: BudgetScope
  limitUsd: number
  spentUsd: number
  remainingUsd: number
}

/** The routing policy's decisions, as `compileRoutingPolicy` in policy/ returns them. */
export interface RoutingPlan {
  readonly version: string
  readonly providers: readonly string[]
  route(facts: RouteContext, random: number): { version: string; rule: string; chain: ModelTarget[] }
  providerSettings(provider: string): ProviderSettings
  budgetStatus(tenantId: string, spent: BudgetSpend): BudgetStatus[]
  applyBudget(
    chain: readonly ModelTarget[],
    statuses: readonly BudgetStatus[],
    expected: TokenUsage,
  ): { chain: ModelTarget[]; step?: string } | { escalate: string }
  costUsd(target: ModelTarget, usage: TokenUsage): number
  estimate(inputChars: number, maxTokens?: number): TokenUsage
}

/** Whose budgets a call is charged to; without a conversation (or customer) id, only the tenant's scopes. */
export interface BudgetSubject {
  tenantId: string
  conversationId?: string
  customerId?: string
}

/** What is left of one of a tenant's own budgets (`tenantDay`, `tenantMonth`). */
export interface TenantBudgetStatus extends BudgetStatus {
  tenantId: string
}

export type Admission =
  /** `window` identifies the rate window the tokens were reserved in; `probe` marks the half-open trial call. */
  | { ok: true; probe: boolean; window: number }
  | { ok: false; reason: 'circuit_open' | 'cooling_down' | 'rate_limited'; retryAfterMs: number }

export type BreakerState = 'closed' | 'open' | 'half_open'

/** Routing state shared by every worker process (Redis): circuit breakers, rate limits, budgets. */
export interface RoutingState {
  /** One atomic step: the circuit breaker, a Retry-After cool-down, then the request and token limits. */
  admit(provider: string, settings: ProviderSettings, tokens: number): Promise<Admission>
  /** The vendor answered: a half-open probe closes the circuit; the token reservation is corrected. */
  succeeded(provider: string, call: { probe: boolean; window: number; tokenDelta: number }): Promise<void>
  /** A retryable failure: counts toward opening the circuit; a Retry-After cools the provider down everywhere. */
  failed(provider: string, settings: ProviderSettings, call: { probe: boolean; retryAfterMs?: number }): Promise<BreakerState>
  breakerState(provider: string): Promise<BreakerState>
  /** USD spent per scope in the periods containing `at` (UTC days and months). */
  spent(subject: BudgetSubject, at: number): Promise<BudgetSpend>
  charge(subject: BudgetSubject, at: number, usd: number): Promise<void>
}
