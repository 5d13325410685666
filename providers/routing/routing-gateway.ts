// The routing ModelGateway: the policy picks a chain, budgets degrade it, the chain is walked with retries,
// breakers and rate limits, and the answer is priced and charged. Streams fall back only before their first event.
import { setTimeout as sleep } from 'node:timers/promises'
import { systemClock, type Clock } from '../../lib/clock.ts'
import { ensureAppError, RetryableError, TerminalError, type AppError } from '../../lib/errors.ts'
import type { Logger } from '../../lib/log.ts'
import type { ModelGateway, RouteContext, RoutedCompletion } from '../gateway.ts'
import type { Provider, ProviderRequest, ProviderResponse, StreamEvent } from '../provider.ts'
import { callChain, type ChainCall, type ChainDeps, type ChainResult } from './call-chain.ts'
import type { BudgetSpend, BudgetStatus, BudgetSubject, ModelTarget, RoutingPlan, RoutingState, TenantBudgetStatus } from './routing-plan.ts'

export interface RoutingGatewayOptions {
  /** The policy in force, read on every call: pass a `PolicySet`'s `current` for hot reload. */
  policy: () => RoutingPlan
  /** Providers by the names the policy's models use (e.g. `openai`, `local`). */
  providers: Readonly<Record<string, Provider>>
  state: RoutingState
  /** @defaultValue systemClock (budget periods are UTC days and months of this clock) */
  clock?: Clock
  log?: Logger
  /** Who retries a failed call: the chain itself (default), or its caller (the provider job; see call-chain.ts). */
  retryOwner?: ChainDeps['retryOwner']
}

/** A RoutedCompletion whose decision is always known: the policy version and rule, for the audit trail. */
export interface RoutingOutcome extends RoutedCompletion {
  policyVersion: string
  rule: string
}

export type RoutedStreamEvent = Exclude<StreamEvent, { type: 'done' }> | { type: 'done'; response: ProviderResponse; routed: RoutingOutcome }

export interface RoutingGateway extends ModelGateway {
  complete(req: Omit<ProviderRequest, 'model'>, ctx: RouteContext): Promise<RoutingOutcome>
  /** Streams from the routed model; fallback and retries happen only until the first event arrives. */
  stream(req: Omit<ProviderRequest, 'model'>, ctx: RouteContext): AsyncIterable<RoutedStreamEvent>
  /** What is left of each budget that applies to this subject (only the tenant's own, without a conversation id). */
  remainingBudget(subject: BudgetSubject): Promise<BudgetStatus[]>
  /**
   * What is left of the tenant-wide budgets of every tenant this gateway has routed since it started, read
   * from the shared counters: the source of the remaining-budget metric. Conversation and customer budgets
   * are left out: one series per tenant could only show whichever conversation spoke last.
   */
  tenantBudgets(): Promise<TenantBudgetStatus[]>
}

interface Plan {
  policy: RoutingPlan
  rule: string
  chain: ModelTarget[]
  steps: string[]
  reservedTokens: number
  at: number
}

/**
 * @example
 * const gateway = createRoutingGateway({ policy: () => policySet.current('retail-default')!, providers: { openai, local }, state })
 * const { response, costUsd, path, degradedBy } = await gateway.complete({ messages }, ctx)
 */
export function createRoutingGateway(options: RoutingGatewayOptions): RoutingGateway {
  const clock = options.clock ?? systemClock
  const deps = (policy: RoutingPlan): ChainDeps => ({
    providers: options.providers, state: options.state, settings: (p) => policy.providerSettings(p), sleep, random: Math.random,
    retryOwner: options.retryOwner,
  })
  const budgets = budgetReads(options, clock)
  const plan = (req: Omit<ProviderRequest, 'model'>, ctx: RouteContext) => {
    budgets.routed(ctx.tenantId)
    return planCall(options, clock.now(), req, ctx)
  }
  const walk = <T>(p: Plan, request: Omit<ProviderRequest, 'model'>, run: ChainCall<T>['run']) =>
    callChain(deps(p.policy), { chain: p.chain, request, reservedTokens: p.reservedTokens, run })
  const settle = (p: Plan, ctx: RouteContext, run: ChainResult<unknown>, response: ProviderResponse) => settleCall(options, p, ctx, run, response)
  return {
    vendors(ctx) {
      const { chain } = options.policy().route(ctx, stickyUnit(ctx.conversationId))
      const routes = new Map<string, string[]>()
      for (const t of chain) routes.set(t.provider, [...(routes.get(t.provider) ?? []), `${t.provider}:${t.model}`])
      return [...routes].map(([vendor, path]) => ({ vendor, path }))
    },
    async complete(req, ctx) {
      const p = await plan(req, ctx)
      const run = await walk(p, req, (provider, r) => provider.complete(r))
      return settle(p, ctx, run, run.value)
    },
    async *stream(req, ctx) {
      const p = await plan(req, ctx)
      const run = await walk(p, req, openStream)
      try {
        for await (const event of drain(run.value)) {
          if (event.type !== 'done') yield event
          else yield { type: 'done', response: event.response, routed: await settle(p, ctx, run, event.response) }
        }
      } catch (e) {
        throw await streamFailed(options.state, run, e)
      }
    },
    remainingBudget: budgets.remainingBudget,
    tenantBudgets: budgets.tenantBudgets,
  }
}

/** What is left for one subject, and for every tenant routed so far (the metric's source), under the policy in force. */
function budgetReads(options: RoutingGatewayOptions, clock: Clock) {
  // Bounded by the number of tenants: the budget metric reads the budgets of each.
  const routedTenants = new Set<string>()
  const remainingBudget = async (subject: BudgetSubject): Promise<BudgetStatus[]> => {
    const policy = options.policy()
    if (!isLimited(policy, subject)) return []
    return policy.budgetStatus(subject.tenantId, await options.state.spent(subject, clock.now()))
  }
  return {
    routed: (tenantId: string) => void routedTenants.add(tenantId),
    remainingBudget,
    async tenantBudgets(): Promise<TenantBudgetStatus[]> {
      const perTenant = await Promise.all([...routedTenants].map(async (tenantId) =>
        (await remainingBudget({ tenantId })).map((status) => ({ ...status, tenantId }))))
      return perTenant.flat()
    },
  }
}

/**
 * Rejects a policy whose models name a provider this process lacks, so a hot reload can never route into
 * nothing; use it inside the policy file's `parse`.
 */
export function requireProviders<P extends Pick<RoutingPlan, 'version' | 'providers'>>(plan: P, providers: Readonly<Record<string, Provider>>): P {
  const missing = plan.providers.filter((p) => !(p in providers))
  if (missing.length === 0) return plan
  const have = Object.keys(providers).join(', ') || 'none'
  throw new TerminalError('config.invalid', `routing policy ${plan.version}: no provider named ${missing.join(', ')} (configured: ${have})`)
}

/** Reading spend costs a round trip; a policy with no limit on any of the subject's scopes skips it. */
function isLimited(policy: RoutingPlan, subject: BudgetSubject): boolean {
  const nothingSpent: BudgetSpend = { tenantDay: 0, tenantMonth: 0 }
  if (subject.conversationId) nothingSpent.conversation = 0
  if (subject.customerId) nothingSpent.customerDay = 0
  return policy.budgetStatus(subject.tenantId, nothingSpent).length > 0
}

/** Route, then apply budgets; a spent budget is a TerminalError the runtime turns into an escalation. */
async function planCall(options: RoutingGatewayOptions, at: number, req: Omit<ProviderRequest, 'model'>, ctx: RouteContext): Promise<Plan> {
  const policy = options.policy()
  const decision = policy.route(ctx, stickyUnit(ctx.conversationId))
  const expected = policy.estimate(inputChars(req), req.maxTokens)
  const statuses = isLimited(policy, ctx) ? policy.budgetStatus(ctx.tenantId, await options.state.spent(ctx, at)) : []
  const budget = policy.applyBudget(decision.chain, statuses, expected)
  if ('escalate' in budget) {
    options.log?.info('routing budget exhausted', { conversationId: ctx.conversationId, policyVersion: policy.version, reason: budget.escalate })
    throw new TerminalError('budget.exhausted', `${budget.escalate} (routing policy ${policy.version}, rule ${decision.rule})`)
  }
  const reservedTokens = expected.inputTokens + expected.outputTokens
  const chain = ctx.vendor === undefined ? budget.chain : budget.chain.filter((t) => t.provider === ctx.vendor)
  if (chain.length === 0) {
    throw new TerminalError('provider.not_routed', `no model of ${ctx.vendor} is left in the chain (routing policy ${policy.version}, rule ${decision.rule})`)
  }
  return { policy, rule: decision.rule, chain, steps: budget.step ? [budget.step] : [], reservedTokens, at }
}

/** Prices the answer, charges the budgets, corrects the token reservation, and reports what happened. */
async function settleCall(
  options: RoutingGatewayOptions, plan: Plan, ctx: RouteContext, run: ChainResult<unknown>, response: ProviderResponse,
): Promise<RoutingOutcome> {
  const costUsd = plan.policy.costUsd(run.target, response.usage)
  const used = response.usage.inputTokens + response.usage.outputTokens + response.usage.cachedTokens
  const { probe, window } = run.admission
  const tokenDelta = run.settings.rate.tokensPerMinute ? used - plan.reservedTokens : 0
  await Promise.all([
    probe || tokenDelta !== 0 ? options.state.succeeded(run.target.provider, { probe, window, tokenDelta }) : undefined,
    costUsd > 0 ? options.state.charge(ctx, plan.at, costUsd) : undefined,
  ])
  const steps = [...plan.steps, ...run.steps]
  const outcome: RoutingOutcome = { response, costUsd, path: run.path, policyVersion: plan.policy.version, rule: plan.rule }
  if (steps.length > 0) outcome.degradedBy = steps.join('; ')
  return outcome
}

interface OpenedStream {
  first: IteratorResult<StreamEvent>
  rest: AsyncIterator<StreamEvent>
}

/** Opening a stream succeeds once its first event arrives: until then a failure may still fall back. */
async function openStream(provider: Provider, req: ProviderRequest): Promise<OpenedStream> {
  const rest = provider.stream(req)[Symbol.asyncIterator]()
  return { first: await rest.next(), rest }
}

/** A stream cut after its first event cannot fall back, but still counts against the provider's breaker. */
async function streamFailed(state: RoutingState, run: ChainResult<unknown>, e: unknown): Promise<AppError> {
  const error = ensureAppError(e)
  if (error instanceof RetryableError) {
    await state.failed(run.target.provider, run.settings, { probe: run.admission.probe, retryAfterMs: error.retryAfterMs })
  }
  return error
}

async function* drain(opened: OpenedStream): AsyncGenerator<StreamEvent> {
  try {
    for (let next = opened.first; !next.done; next = await opened.rest.next()) yield next.value
  } finally {
    // A consumer that stops early must still end the vendor stream and free its socket.
    await opened.rest.return?.()
  }
}

function inputChars(req: Omit<ProviderRequest, 'model'>): number {
  const tools = req.tools ? JSON.stringify(req.tools).length : 0
  return (req.system?.length ?? 0) + tools + req.messages.reduce((n, m) => n + m.content.length, 0)
}

/** A stable number in [0, 1) per conversation: a weighted split keeps each conversation on one model. */
function stickyUnit(key: string): number {
  let hash = 0x811c9dc5
  for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193)
  return (hash >>> 0) / 2 ** 32
}
