// The only HTTP error mapping: one error shape everywhere, `{ error: { code, message, details } }`, a
// code → status table, and unknown errors as a 500 that carries the request id, never the internal message.
import { Elysia, StatusMap } from 'elysia'
import { AppError, ensureAppError, isConnectionError, RetryableError, type ErrorCode } from '../lib/errors.ts'
import type { Logger } from '../lib/log.ts'
import type { ResponseStatus } from '../lib/spans.ts'

const statusByCode: Partial<Record<ErrorCode, number>> = {
  'request.invalid': 400,
  'request.malformed_json': 400,
  'message.invalid': 400,
  'auth.missing': 401,
  'auth.invalid': 401,
  'auth.forbidden': 403,
  'auth.csrf': 403,
  not_found: 404,
  conflict: 409,
  'request.too_large': 413,
  'request.unsupported_media_type': 415,
  'idempotency.key_reused': 409,
  'conversation.closed': 409,
  'conversation.erased': 410,
  rate_limited: 429,
  'knowledge.exists': 409,
  'knowledge.version_conflict': 409,
  'knowledge.no_text': 400,
  'knowledge.too_large': 413,
  'knowledge.unsupported_type': 415,
  'storage.unavailable': 503,
  'resource.invalid': 422,
  'agent.unknown': 404,
  'secret.unavailable': 422,
}

/** The status an error thrown by a handler is answered with (unknown errors: 500). */
export function statusOf(error: unknown): number {
  if (isConnectionError(error)) return 503
  if (!(error instanceof AppError)) return 500
  return statusByCode[error.code] ?? (error instanceof RetryableError ? 503 : 500)
}

/** What a route answers, for its SERVER span (lib/spans.ts `withServerSpan`): `set.status`, or the thrown error's. */
export function responseStatus(set: { status?: number | keyof StatusMap }): ResponseStatus {
  return { status: () => (typeof set.status === 'string' ? StatusMap[set.status] : set.status ?? 200), statusOf }
}

export interface ErrorBody {
  error: { code: string; message: string; details?: unknown }
}

export const errorBody = (code: string, message: string, details?: unknown): ErrorBody => ({
  error: details === undefined ? { code, message } : { code, message, details },
})

function validationDetails(error: unknown): { path: string; message: string }[] {
  const all = (error as { all?: { path?: string; message?: string; summary?: string }[] }).all ?? []
  return all.slice(0, 20).map((e) => ({ path: e.path || '/', message: e.summary ?? e.message ?? 'invalid' }))
}

/** Installs the error handler; `log` records unknown errors with their request id. */
export function errorHandling(log: Logger) {
  return new Elysia({ name: 'errors' }).onError({ as: 'global' }, ({ code, error: thrown, set, request }) => {
    set.headers['content-type'] = 'application/json'
    // A store that cannot be reached is an outage (503 with Retry-After), not a fault of this request.
    const error = isConnectionError(thrown) ? ensureAppError(thrown) : thrown
    if (error instanceof AppError) {
      set.status = statusOf(error)
      if (error instanceof RetryableError && error.retryAfterMs !== undefined) {
        set.headers['retry-after'] = String(Math.ceil(error.retryAfterMs / 1000))
      }
      return errorBody(error.code, error.message, (error as { details?: unknown }).details)
    }
    switch (code) {
      case 'VALIDATION': {
        set.status = 400
        const custom = (error as { customError?: unknown }).customError
        return errorBody('request.invalid', typeof custom === 'string' ? custom : 'the request does not match the schema', validationDetails(error))
      }
      case 'PARSE':
        set.status = 400
        return errorBody('request.malformed_json', 'the request body is not valid JSON')
      case 'INVALID_COOKIE_SIGNATURE':
      case 'INVALID_FILE_TYPE':
        set.status = 400
        return errorBody('request.invalid', 'the request is not acceptable')
      case 'NOT_FOUND':
        set.status = 404
        return errorBody('not_found', `no route for ${request.method} ${new URL(request.url).pathname}`)
      default: {
        const requestId = request.headers.get('x-request-id') ?? crypto.randomUUID()
        log.error('unhandled API error', { requestId, error: error as Error })
        set.status = 500
        return errorBody('internal', `internal error (request ${requestId})`)
      }
    }
  })
}
