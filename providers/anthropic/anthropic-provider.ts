// The Anthropic adapter on `@anthropic-ai/sdk` (messages API, JSON and SSE). SDK retries are off:
// routing owns retries. Bedrock/Vertex variants need @anthropic-ai/bedrock-sdk / vertex-sdk (not installed).

import Anthropic, { APIConnectionError, APIError } from '@anthropic-ai/sdk'
import type { FailureFacts } from '../errors.ts'
import { retryAfterMs } from '../errors.ts'
import { guardProvider, type GuardOptions, type VendorAdapter } from '../guarded-provider.ts'
import type { Provider, ProviderRequest } from '../provider.ts'
import { toMessageParams } from './anthropic-request.ts'
import { fromEvents, fromMessage } from './anthropic-response.ts'

export interface AnthropicProviderOptions extends GuardOptions {
  /** @defaultValue 'anthropic' */
  name?: string
  apiKey: string
  /** API root without `/v1`. @defaultValue https://api.anthropic.com */
  baseUrl?: string
  defaultHeaders?: Record<string, string>
}

export function createAnthropicProvider(options: AnthropicProviderOptions): Provider {
  const client = new Anthropic({
    apiKey: options.apiKey,
    baseURL: options.baseUrl,
    maxRetries: 0,
    defaultHeaders: options.defaultHeaders,
  })
  return guardProvider(anthropicAdapter(options.name ?? 'anthropic', client, options.apiKey), options)
}

function anthropicAdapter(name: string, client: Anthropic, apiKey: string): VendorAdapter {
  return {
    name,
    secrets: [apiKey],
    describeError,
    async complete(req: ProviderRequest, signal: AbortSignal) {
      return fromMessage(name, await client.messages.create(toMessageParams(req), { signal }))
    },
    async *stream(req: ProviderRequest, signal: AbortSignal) {
      const events = await client.messages.create({ ...toMessageParams(req), stream: true }, { signal })
      yield* fromEvents(name, req.model, events)
    },
  }
}

// In-stream `error` events carry no HTTP status; their error type says what the status would have been.
const ERROR_TYPE_STATUS: Record<string, number> = {
  rate_limit_error: 429,
  overloaded_error: 529,
  api_error: 500,
  timeout_error: 504,
  invalid_request_error: 400,
}

function describeError(e: unknown): FailureFacts | undefined {
  if (e instanceof APIConnectionError) return { kind: 'connection', message: e.message }
  if (!(e instanceof APIError)) return undefined
  const status = e.status ?? (e.type ? ERROR_TYPE_STATUS[e.type] : undefined)
  const facts: FailureFacts = { message: e.message }
  if (status !== undefined) facts.status = status
  const after = e.headers ? retryAfterMs((h) => e.headers?.get(h)) : undefined
  if (after !== undefined) facts.retryAfterMs = after
  if (e.type) facts.vendorCode = e.type
  return facts
}
