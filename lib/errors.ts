// The closed set of error codes and the two error classes that decide retry behaviour.
// Retry vs no-retry is decided by class (Terminal never retried), never by message text.

export type ErrorCode =
  | 'config.invalid'
  | 'message.invalid'
  | 'request.invalid'
  | 'request.malformed_json'
  | 'request.too_large'
  | 'request.unsupported_media_type'
  | 'idempotency.key_reused'
  | 'conversation.closed'
  | 'conversation.erased'
  | 'webhook.failed'
  | 'auth.missing'
  | 'auth.invalid'
  | 'auth.forbidden'
  | 'auth.csrf'
  | 'not_found'
  | 'conflict'
  | 'rate_limited'
  | 'provider.rate_limited'
  | 'provider.unavailable'
  | 'provider.timeout'
  | 'provider.rejected'
  | 'provider.content_filtered'
  | 'provider.malformed'
  | 'provider.aborted'
  /** The call reached a vendor's queue whose models the chain no longer holds (a budget moved it on): try the next vendor. */
  | 'provider.not_routed'
  | 'tool.unknown'
  | 'tool.invalid_args'
  | 'tool.timeout'
  | 'tool.failed'
  | 'pool.failed'
  | 'guardrail.escalated'
  | 'guardrail.ungrounded'
  | 'confidence.low'
  | 'budget.exhausted'
  | 'agent.escalated'
  | 'agent.step_limit'
  | 'knowledge.exists'
  | 'knowledge.version_conflict'
  | 'knowledge.no_text'
  | 'knowledge.too_large'
  | 'knowledge.unsupported_type'
  | 'knowledge.fetch_blocked'
  | 'knowledge.fetch_failed'
  | 'knowledge.fetch_timeout'
  | 'storage.unavailable'
  | 'storage.corrupt'
  | 'actor.lease_lost'
  | 'resource.invalid'
  | 'policy.denied'
  | 'topic.out_of_scope'
  | 'policy.confirmation_required'
  | 'policy.approval_required'
  | 'agent.unknown'
  | 'secret.unavailable'
  /** A warehouse sink refused rows (their shape or values); they go to the export's dead letters. */
  | 'export.rejected'
  /** A warehouse sink could not be reached or was overloaded; the batch is sent again. */
  | 'export.unavailable'
  | 'internal'

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options)
    this.name = new.target.name
  }
}

/** An error that retrying cannot fix: bad input, a policy refusal, a vendor 4xx. */
export class TerminalError extends AppError {}

/** A transient failure: retried with backoff, waiting at least `retryAfterMs` when the source said so. */
export class RetryableError extends AppError {
  constructor(
    code: ErrorCode,
    message: string,
    readonly retryAfterMs?: number,
    options?: ErrorOptions,
  ) {
    super(code, message, options)
  }
}

/** The shape an error takes once it crosses a queue: plain JSON, no class identity. */
export interface ErrorInfo {
  code: ErrorCode
  message: string
  retryable: boolean
  retryAfterMs?: number
}

/** Unknown throwables are defects: wrapped as retryable `internal` errors. */
// How a lost connection to Postgres (postgres.js codes, SQLSTATE classes 08 and 57P) or Redis (ioredis) shows.
const CONNECTION_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'CONNECTION_CLOSED', 'CONNECTION_ENDED', 'CONNECTION_DESTROYED', 'CONNECT_TIMEOUT',
  '57P01', '57P02', '57P03',
])
const REDIS_UNREACHABLE = /^(Connection is closed|Stream isn't writeable|Reached the max retries per request limit)/

/** True when `e` says a backing store (Postgres, Redis) is unreachable, rather than that the request was wrong. */
export function isConnectionError(e: unknown): boolean {
  if (!(e instanceof Error)) return false
  const code = (e as { code?: unknown }).code
  if (typeof code === 'string' && (CONNECTION_CODES.has(code) || code.startsWith('08'))) return true
  return e.name === 'MaxRetriesPerRequestError' || REDIS_UNREACHABLE.test(e.message)
}

/** How long a client is asked to wait after an outage answer (Retry-After). */
export const OUTAGE_RETRY_AFTER_MS = 1000

export function ensureAppError(e: unknown): AppError {
  if (e instanceof AppError) return e
  if (isConnectionError(e)) {
    return new RetryableError('storage.unavailable', 'a backing store is unreachable, retry shortly', OUTAGE_RETRY_AFTER_MS, { cause: e })
  }
  const message = e instanceof Error ? e.message : String(e)
  return new RetryableError('internal', message, undefined, { cause: e })
}

/** An outage rather than a failure of the work itself: worth waiting out instead of giving up. */
export const isOutage = (info: Pick<ErrorInfo, 'code'>): boolean => info.code === 'storage.unavailable'

export function toErrorInfo(e: unknown): ErrorInfo {
  const err = ensureAppError(e)
  const info: ErrorInfo = { code: err.code, message: err.message, retryable: !(err instanceof TerminalError) }
  if (err instanceof RetryableError && err.retryAfterMs !== undefined) info.retryAfterMs = err.retryAfterMs
  return info
}

export function assertNever(x: never): never {
  throw new TerminalError('internal', `unexpected value: ${JSON.stringify(x)}`)
}
