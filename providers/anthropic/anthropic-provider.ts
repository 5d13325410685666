// The Anthropic adapter: Claude's messages API (JSON and SSE) through `@anthropic-ai/sdk`, or through its
// Bedrock and Vertex variants (`flavor`), which share its request, response and error mapping. SDK
// retries are off: routing owns retries.

import { APIConnectionError, APIError } from '@anthropic-ai/sdk'
import type { FailureFacts } from '../errors.ts'
import { apiErrorFacts } from '../errors.ts'
import { guardProvider, type GuardOptions, type VendorAdapter } from '../guarded-provider.ts'
import type { Provider, ProviderRequest } from '../provider.ts'
import { anthropicClient, type AnthropicClientOptions, type MessagesClient } from './anthropic-clients.ts'
import { toMessageParams } from './anthropic-request.ts'
import { fromEvents, fromMessage } from './anthropic-response.ts'

/**
 * `flavor` picks where Claude is served: omitted or `'anthropic'` (apiKey), `'bedrock'` (region, AWS
 * credentials) or `'vertex'` (region, projectId, Google credentials).
 */
export type AnthropicProviderOptions = AnthropicClientOptions &
  GuardOptions & {
    /** @defaultValue 'anthropic', 'anthropic-bedrock' or 'anthropic-vertex' */
    name?: string
  }

export function createAnthropicProvider(options: AnthropicProviderOptions): Provider {
  const { client, secrets } = anthropicClient(options)
  const name = options.name ?? (options.flavor && options.flavor !== 'anthropic' ? `anthropic-${options.flavor}` : 'anthropic')
  return guardProvider(anthropicAdapter(name, client, secrets), options)
}

function anthropicAdapter(name: string, client: MessagesClient, secrets: string[]): VendorAdapter {
  return {
    name,
    secrets,
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
  // Bedrock names its error in a header (`ThrottlingException:http://…`) rather than in the body.
  return apiErrorFacts(e, ERROR_TYPE_STATUS, e.type ?? e.headers?.get('x-amzn-errortype')?.split(':')[0])
}
