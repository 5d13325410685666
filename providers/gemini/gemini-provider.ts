// The Gemini adapter on `@google/genai` (Gemini Developer API; Vertex via `vertexai` options later).
// The base URL is configurable so tests and local runs hit the emulator; SDK retries are off.

import { ApiError, GoogleGenAI } from '@google/genai'
import type { FailureFacts } from '../errors.ts'
import { guardProvider, type GuardOptions, type VendorAdapter } from '../guarded-provider.ts'
import type { Provider, ProviderRequest } from '../provider.ts'
import { toGenerateParams } from './gemini-request.ts'
import { fromChunks, fromResponse } from './gemini-response.ts'

export interface GeminiProviderOptions extends GuardOptions {
  /** @defaultValue 'gemini' */
  name?: string
  apiKey: string
  /** API root, e.g. the emulator's URL. @defaultValue https://generativelanguage.googleapis.com */
  baseUrl?: string
  /** @defaultValue 'v1beta' (the SDK's default) */
  apiVersion?: string
}

export function createGeminiProvider(options: GeminiProviderOptions): Provider {
  const client = new GoogleGenAI({
    apiKey: options.apiKey,
    ...(options.apiVersion ? { apiVersion: options.apiVersion } : {}),
    // attempts: 1 means no SDK retries; routing decides retries with Retry-After in hand.
    httpOptions: { ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}), retryOptions: { attempts: 1 } },
  })
  return guardProvider(geminiAdapter(options.name ?? 'gemini', client, options.apiKey), options)
}

function geminiAdapter(name: string, client: GoogleGenAI, apiKey: string): VendorAdapter {
  return {
    name,
    secrets: [apiKey],
    describeError,
    async complete(req: ProviderRequest, signal: AbortSignal) {
      return fromResponse(name, req.model, await client.models.generateContent(toGenerateParams(req, signal)))
    },
    async *stream(req: ProviderRequest, signal: AbortSignal) {
      yield* fromChunks(name, req.model, await client.models.generateContentStream(toGenerateParams(req, signal)))
    },
  }
}

interface GoogleRpcError {
  error?: { status?: string; message?: string; details?: { '@type'?: string; retryDelay?: string }[] }
}

// ApiError's message is the JSON error body; Retry-After comes as google.rpc.RetryInfo in it.
function describeError(e: unknown): FailureFacts | undefined {
  if (!(e instanceof ApiError)) return undefined
  const facts: FailureFacts = { status: e.status, message: e.message }
  let body: GoogleRpcError = {}
  try {
    body = JSON.parse(e.message) as GoogleRpcError
  } catch {
    return facts
  }
  if (body.error?.message) facts.message = body.error.message
  if (body.error?.status) facts.vendorCode = body.error.status
  const delay = body.error?.details?.find((d) => d['@type']?.endsWith('google.rpc.RetryInfo'))?.retryDelay
  const seconds = delay ? Number.parseFloat(delay) : Number.NaN
  if (Number.isFinite(seconds)) facts.retryAfterMs = Math.round(seconds * 1000)
  return facts
}
