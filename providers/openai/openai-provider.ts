// The OpenAI adapter on the `openai` SDK: api.openai.com, Azure OpenAI (AzureOpenAI client) and any
// OpenAI-compatible server (Ollama, vLLM, LM Studio) by base URL. SDK retries are off: routing retries.

import OpenAI, { APIConnectionError, APIError, AzureOpenAI } from 'openai'
import { TerminalError } from '../../lib/errors.ts'
import type { FailureFacts } from '../errors.ts'
import { apiErrorFacts } from '../errors.ts'
import { guardProvider, type GuardOptions, type VendorAdapter } from '../guarded-provider.ts'
import type { Provider, ProviderRequest } from '../provider.ts'
import { toChatParams, type MaxTokensField } from './openai-request.ts'
import { fromChunks, fromCompletion } from './openai-response.ts'

export interface OpenAIProviderOptions extends GuardOptions {
  /** Provider name in responses, metrics and errors. @defaultValue the flavor */
  name?: string
  /** @defaultValue 'openai' */
  flavor?: 'openai' | 'azure' | 'compatible'
  apiKey?: string
  /** For `openai` and `compatible`: the API root including `/v1`. */
  baseUrl?: string
  organization?: string
  /** Azure OpenAI: resource endpoint, API version and (optionally) a fixed deployment. */
  azure?: { endpoint: string; apiVersion: string; deployment?: string }
  defaultHeaders?: Record<string, string>
}

export function createOpenAIProvider(options: OpenAIProviderOptions): Provider {
  const flavor = options.flavor ?? 'openai'
  const client = createClient(flavor, options)
  const maxTokensField: MaxTokensField = flavor === 'compatible' ? 'max_tokens' : 'max_completion_tokens'
  return guardProvider(openaiAdapter(options.name ?? flavor, client, maxTokensField, options.apiKey), options)
}

function createClient(flavor: 'openai' | 'azure' | 'compatible', o: OpenAIProviderOptions): OpenAI {
  const common = { maxRetries: 0, defaultHeaders: o.defaultHeaders }
  if (flavor === 'azure') {
    if (!o.azure) throw new TerminalError('config.invalid', 'openai provider: the azure flavor needs azure options')
    const { endpoint, apiVersion, deployment } = o.azure
    return new AzureOpenAI({ ...common, apiKey: o.apiKey, endpoint, apiVersion, deployment })
  }
  // Local servers such as Ollama ignore the key, but the SDK insists on one.
  const apiKey = o.apiKey ?? (flavor === 'compatible' ? 'unused' : undefined)
  return new OpenAI({ ...common, apiKey, baseURL: o.baseUrl, organization: o.organization })
}

function openaiAdapter(name: string, client: OpenAI, maxTokensField: MaxTokensField, apiKey?: string): VendorAdapter {
  return {
    name,
    secrets: apiKey ? [apiKey] : [],
    describeError,
    async complete(req: ProviderRequest, signal: AbortSignal) {
      const completion = await client.chat.completions.create(toChatParams(req, maxTokensField), { signal })
      return fromCompletion(name, completion)
    },
    async *stream(req: ProviderRequest, signal: AbortSignal) {
      const params = { ...toChatParams(req, maxTokensField), stream: true as const, stream_options: { include_usage: true } }
      const chunks = await client.chat.completions.create(params, { signal })
      yield* fromChunks(name, req.model, chunks)
    },
  }
}

const ERROR_TYPE_STATUS: Record<string, number> = { rate_limit_error: 429, server_error: 500, insufficient_quota: 429 }

function describeError(e: unknown): FailureFacts | undefined {
  if (e instanceof APIConnectionError) return { kind: 'connection', message: e.message }
  if (!(e instanceof APIError)) return undefined
  return apiErrorFacts(e, ERROR_TYPE_STATUS, e.code)
}
