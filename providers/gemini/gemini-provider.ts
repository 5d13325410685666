// The Gemini adapter on `@google/genai`: the Gemini Developer API (API key) or Vertex AI (`flavor:
// 'vertex'`, project and location, Google credentials); one request/response/error mapping for both.
// The base URL is configurable so tests and local runs hit the emulator; SDK retries are off.

import { ApiError, GoogleGenAI, type GoogleGenAIOptions } from '@google/genai'
import type { FailureFacts } from '../errors.ts'
import { guardProvider, type GuardOptions, type VendorAdapter } from '../guarded-provider.ts'
import type { Provider, ProviderRequest } from '../provider.ts'
import { toGenerateParams } from './gemini-request.ts'
import { fromChunks, fromResponse } from './gemini-response.ts'
import { vertexAuthClient } from './google-auth.ts'

interface GeminiCommon extends GuardOptions {
  /** @defaultValue 'gemini' or 'gemini-vertex' */
  name?: string
  /** API root, e.g. the emulator's URL. @defaultValue the SDK's endpoint for the flavor and location */
  baseUrl?: string
  /** @defaultValue the SDK's: 'v1beta' on the Developer API, 'v1beta1' on Vertex */
  apiVersion?: string
}

/** The Gemini Developer API (generativelanguage.googleapis.com). */
export interface GeminiDeveloperOptions extends GeminiCommon {
  flavor?: 'developer'
  apiKey: string
}

/** Gemini on Vertex AI (`{location}-aiplatform.googleapis.com/{apiVersion}/projects/{project}/locations/{location}/…`). */
export interface GeminiVertexOptions extends GeminiCommon {
  flavor: 'vertex'
  project: string
  /** e.g. `europe-west4` or `global`. */
  location: string
  /** A fixed OAuth token (never refreshed); when absent, Application Default Credentials. */
  accessToken?: string
}

export type GeminiProviderOptions = GeminiDeveloperOptions | GeminiVertexOptions

export function createGeminiProvider(options: GeminiProviderOptions): Provider {
  const vertex = options.flavor === 'vertex'
  const client = new GoogleGenAI({
    ...(vertex ? vertexAuth(options) : { apiKey: options.apiKey }),
    ...(options.apiVersion ? { apiVersion: options.apiVersion } : {}),
    // attempts: 1 means no SDK retries; routing decides retries with Retry-After in hand.
    httpOptions: { ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}), retryOptions: { attempts: 1 } },
  })
  const secret = vertex ? options.accessToken : options.apiKey
  const name = options.name ?? (vertex ? 'gemini-vertex' : 'gemini')
  return guardProvider(geminiAdapter(name, client, secret ? [secret] : []), options)
}

type VertexAuthClient = NonNullable<NonNullable<GoogleGenAIOptions['googleAuthOptions']>['authClient']>

// An explicit project and location also stop the SDK from preferring a GOOGLE_API_KEY found in the env.
// Without a token the SDK's own ADC handling is kept: it looks credentials up per request, not once.
function vertexAuth(options: GeminiVertexOptions): GoogleGenAIOptions {
  const { project, location, accessToken } = options
  if (!accessToken) return { vertexai: true, project, location }
  return { vertexai: true, project, location, googleAuthOptions: { authClient: vertexAuthClient<VertexAuthClient>(accessToken) } }
}

function geminiAdapter(name: string, client: GoogleGenAI, secrets: string[]): VendorAdapter {
  return {
    name,
    secrets,
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
