// A validated routing policy turned into decisions: route a request to a chain of model targets, resolve a
// provider's limits, price a call and apply budgets. Cross-field rules (references, one target kind) live here.
import { AppError } from '../../lib/errors.ts'
import { applyBudget, budgetStatus, type BudgetPlan, type BudgetSpend, type BudgetStatus } from './budget.ts'
import { costUsd, estimateTokens, type BilledTokens } from './prices.ts'
import { matches, resolveTarget, type RouteFacts } from './route-match.ts'
import type { BudgetLimits, ModelPrice, ProviderPolicy, RouteTarget, RoutingPolicy } from './routing-policy.ts'

/** One model as routing sees it: the provider that serves it and the vendor's id for it. */
export interface ModelTarget {
  name: string
  provider: string
  model: string
  price: ModelPrice
}

export interface ProviderSettings {
  timeoutMs: number
  retry: { attempts: number; baseDelayMs: number; maxDelayMs: number }
  breaker: { failureThreshold: number; windowMs: number; openMs: number }
  rate: { requestsPerMinute?: number; tokensPerMinute?: number; windowMs: number }
}

export interface RouteDecision {
  version: string
  rule: string
  chain: ModelTarget[]
}

export interface CompiledRoutingPolicy {
  readonly name: string
  readonly version: string
  /** Every provider a model names: the gateway must have each of them. */
  readonly providers: readonly string[]
  /** First matching rule (else `default`); `random` in [0, 1) picks within a weighted split. */
  route(facts: RouteFacts, random: number): RouteDecision
  providerSettings(provider: string): ProviderSettings
  budgetStatus(tenantId: string, spent: BudgetSpend): BudgetStatus[]
  /** Degrades `chain` to what the request's budgets still pay for, given the tokens it is expected to use. */
  applyBudget(chain: readonly ModelTarget[], statuses: readonly BudgetStatus[], expected: BilledTokens): BudgetPlan<ModelTarget>
  costUsd(target: ModelTarget, usage: BilledTokens): number
  /** Tokens a request is expected to use: its input length, and `maxTokens` or the policy's expectation. */
  estimate(inputChars: number, maxTokens?: number): BilledTokens
}

const DEFAULTS = {
  timeoutMs: 30_000,
  retry: { attempts: 2, baseDelayMs: 200, maxDelayMs: 2000 },
  breaker: { failureThreshold: 5, windowMs: 30_000, openMs: 15_000 },
  rateWindowMs: 60_000,
  expectedOutputTokens: 400,
  localModel: 'local',
} as const

/** Checks what the schema cannot and builds the decision functions; throws `config.invalid` listing every problem. */
export function compileRoutingPolicy(policy: RoutingPolicy, source = 'routing policy'): CompiledRoutingPolicy {
  const problems = routingSpecProblems(policy.spec)
  if (problems.length > 0) throw new AppError('config.invalid', `${source}: ${problems.join('; ')}`)
  const { spec } = policy
  const targets = new Map(Object.entries(spec.models).map(([name, m]) => [name, { name, provider: m.provider, model: m.model ?? name, price: m.pricePerMTok }]))
  const toTargets = (names: string[]) => names.map((n) => targets.get(n)!)
  const budgets = spec.budgets ?? {}
  const local = targets.get(budgets.localModel ?? DEFAULTS.localModel)
  const limitsOf = (tenantId: string): BudgetLimits => ({ ...budgets, ...budgets.tenants?.[tenantId] })
  return {
    name: policy.metadata.name,
    version: spec.version,
    providers: [...new Set([...targets.values()].map((t) => t.provider))],
    route(facts, random) {
      const rule = spec.rules.find((r) => matches(r.match, facts))
      return { version: spec.version, rule: rule?.name ?? 'default', chain: toTargets(resolveTarget(rule ?? spec.default, random)) }
    },
    providerSettings: (provider) => providerSettings(spec.defaults, spec.providers?.[provider]),
    budgetStatus: (tenantId, spent) => budgetStatus(limitsOf(tenantId), spent),
    applyBudget: (chain, statuses, expected) => applyBudget(chain, statuses, (t) => costUsd(t.price, expected), local),
    costUsd: (target, usage) => costUsd(target.price, usage),
    estimate: (inputChars, maxTokens) => estimateTokens(inputChars, maxTokens ?? budgets.expectedOutputTokens ?? DEFAULTS.expectedOutputTokens),
  }
}

function providerSettings(defaults: ProviderPolicy = {}, own: ProviderPolicy = {}): ProviderSettings {
  const pick = <K extends keyof ProviderPolicy>(key: K) => own[key] ?? defaults[key]
  return {
    timeoutMs: pick('timeoutMs') ?? DEFAULTS.timeoutMs,
    retry: { ...DEFAULTS.retry, ...defaults.retry, ...own.retry },
    breaker: { ...DEFAULTS.breaker, ...defaults.circuitBreaker, ...own.circuitBreaker },
    rate: {
      requestsPerMinute: pick('requestsPerMinute'),
      tokensPerMinute: pick('tokensPerMinute'),
      windowMs: pick('rateWindowMs') ?? DEFAULTS.rateWindowMs,
    },
  }
}

/** Every model a target names must exist; a target has exactly one of chain or split; rule names are unique. */
export function routingSpecProblems(spec: RoutingPolicy['spec']): string[] {
  const known = (name: string) => name in spec.models
  const targets: Array<[string, RouteTarget]> = [
    ...spec.rules.map((r, i) => [`/spec/rules/${i}`, r] as [string, RouteTarget]),
    ['/spec/default', spec.default],
  ]
  const problems = targets.flatMap(([path, t]) => targetProblems(path, t, known))
  const names = spec.rules.map((r) => r.name)
  names.forEach((n, i) => names.indexOf(n) !== i && problems.push(`/spec/rules/${i}/name: duplicate rule name "${n}"`))
  const localModel = spec.budgets?.localModel
  if (localModel && !known(localModel)) problems.push(`/spec/budgets/localModel: unknown model "${localModel}"`)
  return problems
}

function targetProblems(path: string, t: RouteTarget, known: (name: string) => boolean): string[] {
  const problems: string[] = []
  if (!t.chain === !t.split) problems.push(`${path}: set exactly one of chain or split`)
  if (t.chain && t.fallback) problems.push(`${path}/fallback: only a split takes a fallback (list it in the chain)`)
  const refs: Array<[string, string]> = [
    ...(t.chain ?? []).map((m, i) => [`${path}/chain/${i}`, m] as [string, string]),
    ...(t.split ?? []).map((s, i) => [`${path}/split/${i}/model`, s.model] as [string, string]),
    ...(t.fallback ?? []).map((m, i) => [`${path}/fallback/${i}`, m] as [string, string]),
  ]
  for (const [where, model] of refs) if (!known(model)) problems.push(`${where}: unknown model "${model}"`)
  return problems
}
