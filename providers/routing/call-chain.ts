// Walks a chain of model targets: admission (breaker, cool-down, rate limits), retries with backoff that
// honour Retry-After, and fallback to the next target. Generic over what a call returns, so completions
// and streams (up to their first event) share one loop.
import { ensureAppError, RetryableError, TerminalError, type AppError } from '../../lib/errors.ts'
import type { Provider, ProviderRequest } from '../provider.ts'
import type { ModelTarget, ProviderSettings, RoutingState } from './routing-plan.ts'

export interface ChainDeps {
  providers: Readonly<Record<string, Provider>>
  state: RoutingState
  settings: (provider: string) => ProviderSettings
  sleep: (ms: number) => Promise<void>
  /** Jitter in [0, 1) so processes retrying together spread out. */
  random: () => number
  /**
   * `caller`: one attempt per target and no waiting for admission; a failure (with its Retry-After) goes back at
   * once to whoever retries the call (the provider job). `chain` (default): the chain retries and waits itself.
   */
  retryOwner?: 'chain' | 'caller'
}

export interface ChainCall<T> {
  chain: readonly ModelTarget[]
  request: Omit<ProviderRequest, 'model'>
  /** Tokens reserved against the provider's tokens-per-minute before the call. */
  reservedTokens: number
  run: (provider: Provider, req: ProviderRequest) => Promise<T>
}

export interface ChainResult<T> {
  value: T
  target: ModelTarget
  settings: ProviderSettings
  admission: { probe: boolean; window: number }
  /** `provider:model` of every target called, ending with the one that answered. */
  path: string[]
  /** Why the chain moved past a target, e.g. `gpt-4o: provider.rate_limited`. */
  steps: string[]
}

type Admitted = { probe: boolean; window: number }
/** `reason` says why the chain moved on: an error code, or what refused admission. */
type TargetOutcome<T> = { ok: true; value: T; admission: Admitted } | { ok: false; error: AppError; reason: string }

// A caller's abort or a content-filter refusal would end the same way on every model.
const NO_FALLBACK = new Set(['provider.aborted', 'provider.content_filtered'])

/** Whether a failure with this code moves a call on to the next model (or vendor): a provider's failure, but not every one. */
export const fallsBack = (code: string): boolean => code.startsWith('provider.') && !NO_FALLBACK.has(code)

/** Tries each target in order; throws the last failure when none answers. */
export async function callChain<T>(deps: ChainDeps, call: ChainCall<T>): Promise<ChainResult<T>> {
  const path: string[] = []
  const steps: string[] = []
  let lastError: AppError | undefined
  for (const target of call.chain) {
    const provider = deps.providers[target.provider]
    if (!provider) {
      steps.push(`${target.name}: no provider named ${target.provider}`)
      continue
    }
    const settings = deps.settings(target.provider)
    const outcome = await callTarget(deps, call, { target, provider, settings }, path)
    if (outcome.ok) return { value: outcome.value, target, settings, admission: outcome.admission, path, steps }
    if (NO_FALLBACK.has(outcome.error.code)) throw outcome.error
    steps.push(`${target.name}: ${outcome.reason}`)
    lastError = outcome.error
  }
  throw lastError ?? new RetryableError('provider.unavailable', `no model could be called: ${steps.join('; ') || 'empty chain'}`)
}

interface Attempted {
  target: ModelTarget
  provider: Provider
  settings: ProviderSettings
}

async function callTarget<T>(deps: ChainDeps, call: ChainCall<T>, at: Attempted, path: string[]): Promise<TargetOutcome<T>> {
  const { target, settings } = at
  const req = { ...call.request, model: target.model, timeoutMs: Math.min(call.request.timeoutMs ?? Infinity, settings.timeoutMs) }
  for (let attempt = 1; ; attempt++) {
    const admission = await admitWithin(deps, at, call.reservedTokens)
    if (!admission.ok) return admission
    if (path.at(-1) !== `${target.provider}:${target.model}`) path.push(`${target.provider}:${target.model}`)
    try {
      return { ok: true, value: await call.run(at.provider, req), admission }
    } catch (e) {
      const error = ensureAppError(e)
      const backoff = await recordFailure(deps, at, admission, error, call.reservedTokens)
      const failed = { ok: false as const, error, reason: error.code }
      if (backoff === undefined || attempt >= attemptsPerTarget(deps, settings)) return failed
      const delay = Math.max(backoff, settings.retry.baseDelayMs * 2 ** (attempt - 1) * (0.5 + deps.random() / 2))
      if (delay > settings.retry.maxDelayMs) return failed
      await deps.sleep(delay)
    }
  }
}

function attemptsPerTarget(deps: ChainDeps, settings: ProviderSettings): number {
  return deps.retryOwner === 'caller' ? 1 : settings.retry.attempts
}

/** Reports the failure to the shared state; returns the least wait before a retry, or undefined when none helps. */
async function recordFailure(deps: ChainDeps, at: Attempted, admitted: Admitted, error: AppError, reserved: number): Promise<number | undefined> {
  const { probe } = admitted
  if (error instanceof TerminalError) {
    // The vendor answered (a 4xx): for the breaker that is a live vendor, and no tokens were used.
    await deps.state.succeeded(at.target.provider, { probe, window: admitted.window, tokenDelta: -reserved })
    return undefined
  }
  const retryAfterMs = error instanceof RetryableError ? error.retryAfterMs : undefined
  await deps.state.failed(at.target.provider, at.settings, { probe, retryAfterMs })
  return retryAfterMs ?? 0
}

/** Waits for admission while the wait fits the retry budget: a short cool-down or window end is cheaper than a fallback. */
async function admitWithin(deps: ChainDeps, at: Attempted, tokens: number): Promise<({ ok: true } & Admitted) | { ok: false; error: AppError; reason: string }> {
  let waited = 0
  for (;;) {
    const admission = await deps.state.admit(at.target.provider, at.settings, tokens)
    if (admission.ok) return admission
    const wait = admission.retryAfterMs
    const patience = deps.retryOwner === 'caller' ? 0 : at.settings.retry.maxDelayMs
    if (admission.reason === 'circuit_open' || waited + wait > patience) {
      const code = admission.reason === 'circuit_open' ? 'provider.unavailable' : 'provider.rate_limited'
      const error = new RetryableError(code, `${at.target.provider}: ${admission.reason.replace('_', ' ')}, retry in ${wait} ms`, wait)
      return { ok: false, error, reason: admission.reason }
    }
    await deps.sleep(wait)
    waited += wait
  }
}
