// Translates vendor failures into RetryableError / TerminalError at the provider edge. Vendor adapters
// only describe a failure as plain facts; the retry decision and the message wording live here.

import { AppError, RetryableError, TerminalError } from '../lib/errors.ts'

/** What an adapter could learn from a vendor error, with no vendor type attached. */
export interface FailureFacts {
  status?: number
  retryAfterMs?: number
  /** The vendor's own error code or type, e.g. `content_filter`, `ThrottlingException`. */
  vendorCode?: string
  kind?: 'connection' | 'malformed' | 'content_filter'
  message: string
}

/** What the OpenAI and Anthropic SDKs' APIError share (they are different classes of the same design). */
export interface SdkApiError {
  message: string
  status?: number
  type?: string | null
  headers?: { get(name: string): string | null | undefined }
}

/**
 * Facts of an SDK APIError. Errors sent inside a stream have no HTTP status: `statusByType` says what the
 * status would have been, from the error's type.
 */
export function apiErrorFacts(e: SdkApiError, statusByType: Record<string, number>, vendorCode?: string | null): FailureFacts {
  const status = e.status ?? (e.type ? statusByType[e.type] : undefined)
  const facts: FailureFacts = { message: e.message }
  if (status !== undefined) facts.status = status
  const after = e.headers ? retryAfterMs((h) => e.headers?.get(h) ?? null) : undefined
  if (after !== undefined) facts.retryAfterMs = after
  if (vendorCode) facts.vendorCode = vendorCode
  return facts
}

const CONTENT_FILTER_CODES = new Set(['content_filter', 'content_policy_violation', 'SAFETY', 'PROHIBITED_CONTENT'])

/** Maps described facts to the error class that decides retries. The message is redacted of secrets. */
export function providerFailure(provider: string, facts: FailureFacts, secrets: readonly string[]): AppError {
  const msg = (what: string) => redact(`${provider}: ${what}: ${truncate(facts.message)}`, secrets)
  const { status } = facts
  if (facts.kind === 'content_filter' || (facts.vendorCode && CONTENT_FILTER_CODES.has(facts.vendorCode))) {
    return new TerminalError('provider.content_filtered', msg('blocked by the content filter'))
  }
  if (status === 429) return new RetryableError('provider.rate_limited', msg('rate limited (429)'), facts.retryAfterMs)
  if (status === 408) return new RetryableError('provider.timeout', msg('vendor timed out (408)'), facts.retryAfterMs)
  if (status !== undefined && status >= 500) {
    return new RetryableError('provider.unavailable', msg(`vendor error (${status})`), facts.retryAfterMs)
  }
  if (status !== undefined && status >= 400) return new TerminalError('provider.rejected', msg(`request rejected (${status})`))
  if (facts.kind === 'malformed') return new RetryableError('provider.malformed', msg('malformed vendor response'))
  return new RetryableError('provider.unavailable', msg('connection failed'))
}

/** Classifies errors that are not the vendor SDK's own: fetch/socket failures and JSON parse errors. */
export function genericFacts(e: unknown): FailureFacts {
  const message = e instanceof Error ? e.message : String(e)
  if (e instanceof SyntaxError) return { kind: 'malformed', message }
  // A file name like credentials.json in a connection error is not a malformed reply: `.json` does not count.
  if (/(?<!\.)\bJSON\b|Unexpected (token|end)|unterminated/i.test(message)) return { kind: 'malformed', message }
  return { kind: 'connection', message }
}

/**
 * Reads Retry-After (seconds or an HTTP date) and the `retry-after-ms` header OpenAI-style servers send.
 * Returns undefined when absent or unparseable, so callers fall back to their own backoff.
 */
export function retryAfterMs(get: (name: string) => string | null | undefined, now = Date.now()): number | undefined {
  const ms = Number(get('retry-after-ms'))
  if (get('retry-after-ms') && Number.isFinite(ms) && ms >= 0) return ms
  const raw = get('retry-after')
  if (!raw) return undefined
  const seconds = Number(raw)
  if (Number.isFinite(seconds) && seconds >= 0) return Math.round(seconds * 1000)
  const at = Date.parse(raw)
  return Number.isNaN(at) ? undefined : Math.max(0, at - now)
}

/** Removes every configured secret (API keys, AWS secrets) from a message before it leaves the adapter. */
export function redact(message: string, secrets: readonly string[]): string {
  let out = message
  for (const s of secrets) if (s.length >= 4) out = out.split(s).join('[redacted]')
  // Vendors echo keys back in auth errors ("Incorrect API key provided: sk-…"); mask key-shaped tokens too.
  return out.replace(/\b(sk-[A-Za-z0-9_-]{6,}|AIza[A-Za-z0-9_-]{10,}|AKIA[A-Z0-9]{12,})/g, '[redacted]')
}

function truncate(s: string, max = 300): string {
  return s.length > max ? `${s.slice(0, max)}…` : s
}

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError
}
