// Wraps a vendor adapter into a Provider: applies the deadline, maps every thrown value to an AppError,
// turns content-filter stops into TerminalError, and rejects streams that end before their final event.

import { RetryableError, TerminalError, type AppError } from '../lib/errors.ts'
import { LONGEST_PROVIDER_CALL_MS } from '../lib/limits.ts'
import { CallScope } from './call-scope.ts'
import { genericFacts, isAppError, providerFailure, redact, type FailureFacts } from './errors.ts'
import type { Provider, ProviderRequest, ProviderResponse, StreamEvent } from './provider.ts'
import { openingStream, openResponse, sealRequest } from './privacy.ts'

/** What a vendor adapter supplies; it never sees deadlines or error classes. */
export interface VendorAdapter {
  readonly name: string
  /** Values to scrub from every error message (API keys, secret access keys). */
  readonly secrets: readonly string[]
  /** Plain facts about a vendor SDK error, or undefined when the value is not one of the SDK's errors. */
  describeError(e: unknown): FailureFacts | undefined
  complete(req: ProviderRequest, signal: AbortSignal): Promise<ProviderResponse>
  /** Must yield `done` only after the vendor's own end-of-reply event. */
  stream(req: ProviderRequest, signal: AbortSignal): AsyncIterable<StreamEvent>
}

export interface GuardOptions {
  /** Deadline when a request sets no `timeoutMs`. @defaultValue 60000 */
  timeoutMs?: number
}

export function guardProvider(adapter: VendorAdapter, options: GuardOptions = {}): Provider {
  const timeoutMs = options.timeoutMs ?? LONGEST_PROVIDER_CALL_MS
  return {
    name: adapter.name,
    async complete(req) {
      const scope = new CallScope(req, timeoutMs)
      try {
        return openResponse(accept(adapter, await adapter.complete(sealRequest(req), scope.signal)), req.privacy)
      } catch (e) {
        throw toAppError(adapter, scope, e)
      } finally {
        scope.dispose()
      }
    },
    stream: (req) => guardedStream(adapter, req, timeoutMs),
  }
}

async function* guardedStream(adapter: VendorAdapter, req: ProviderRequest, timeoutMs: number): AsyncGenerator<StreamEvent> {
  const scope = new CallScope(req, timeoutMs)
  const open = openingStream(req.privacy)
  try {
    for await (const event of adapter.stream(sealRequest(req), scope.signal)) {
      if (event.type === 'done') {
        yield* open({ type: 'done', response: accept(adapter, event.response) })
        return
      }
      yield* open(event)
    }
    throw new RetryableError('provider.unavailable', `${adapter.name}: stream ended before the reply was complete`)
  } catch (e) {
    throw toAppError(adapter, scope, e)
  } finally {
    scope.dispose()
  }
}

function accept(adapter: VendorAdapter, response: ProviderResponse): ProviderResponse {
  if (response.stopReason === 'content_filter') {
    throw new TerminalError('provider.content_filtered', `${adapter.name}: the reply was blocked by the vendor's content filter`)
  }
  return response
}

function toAppError(adapter: VendorAdapter, scope: CallScope, e: unknown): AppError {
  if (isAppError(e)) return e
  if (scope.timedOut()) return new RetryableError('provider.timeout', `${adapter.name}: no complete reply within the deadline`)
  if (scope.callerAborted()) return new TerminalError('provider.aborted', `${adapter.name}: call aborted by the caller`)
  const facts = adapter.describeError(e) ?? genericFacts(e)
  return providerFailure(adapter.name, { ...facts, message: redact(facts.message, adapter.secrets) }, adapter.secrets)
}
