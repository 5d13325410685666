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
  | 'tool.unknown'
  | 'tool.invalid_args'
  | 'tool.timeout'
  | 'tool.failed'
  | 'pool.failed'
  | 'guardrail.escalated'
  | 'budget.exhausted'
  | 'agent.escalated'
  | 'agent.step_limit'
  | 'storage.unavailable'
  | 'storage.corrupt'
  | 'actor.lease_lost'
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
export function ensureAppError(e: unknown): AppError {
  if (e instanceof AppError) return e
  const message = e instanceof Error ? e.message : String(e)
  return new RetryableError('internal', message, undefined, { cause: e })
}

export function toErrorInfo(e: unknown): ErrorInfo {
  const err = ensureAppError(e)
  const info: ErrorInfo = { code: err.code, message: err.message, retryable: !(err instanceof TerminalError) }
  if (err instanceof RetryableError && err.retryAfterMs !== undefined) info.retryAfterMs = err.retryAfterMs
  return info
}

export function assertNever(x: never): never {
  throw new TerminalError('internal', `unexpected value: ${JSON.stringify(x)}`)
}
