// Builds the Anthropic SDK client for each place Claude is served: the first-party API
// (`@anthropic-ai/sdk`), Amazon Bedrock (`@anthropic-ai/bedrock-sdk`, SigV4, InvokeModel) and Google
// Vertex AI (`@anthropic-ai/vertex-sdk`, OAuth, rawPredict). All three share the messages resource and
// error classes of `@anthropic-ai/sdk`, so one adapter maps requests, replies and errors for all of them.

import Anthropic from '@anthropic-ai/sdk'
import { AnthropicBedrock } from '@anthropic-ai/bedrock-sdk'
import { AnthropicVertex, type ClientOptions as VertexClientOptions } from '@anthropic-ai/vertex-sdk'
import { vertexAuthClient } from '../gemini/google-auth.ts'

interface ClientCommon {
  defaultHeaders?: Record<string, string>
}

/** Claude through the first-party API. */
export interface DirectClientOptions extends ClientCommon {
  flavor?: 'anthropic'
  apiKey: string
  /** API root without `/v1`. @defaultValue https://api.anthropic.com */
  baseUrl?: string
}

/** Claude on Amazon Bedrock (InvokeModel / InvokeModelWithResponseStream). */
export interface BedrockClientOptions extends ClientCommon {
  flavor: 'bedrock'
  region: string
  /** Endpoint root, e.g. a VPC endpoint or the emulator. @defaultValue https://bedrock-runtime.{region}.amazonaws.com */
  baseUrl?: string
  /** Static credentials; when absent, AWS_BEARER_TOKEN_BEDROCK or the AWS default credential chain. */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }
}

/** Claude on Google Vertex AI (rawPredict / streamRawPredict). */
export interface VertexClientFlavorOptions extends ClientCommon {
  flavor: 'vertex'
  /** e.g. `us-east5`, `europe-west1` or `global`. */
  region: string
  projectId: string
  /** Root including the API version. @defaultValue https://{region}-aiplatform.googleapis.com/v1 */
  baseUrl?: string
  /** A fixed OAuth token (never refreshed); when absent, Application Default Credentials. */
  accessToken?: string
}

export type AnthropicClientOptions = DirectClientOptions | BedrockClientOptions | VertexClientFlavorOptions

/** The one resource the adapter uses; Bedrock and Vertex drop others (batches, token counting). */
export interface MessagesClient {
  messages: Pick<Anthropic['messages'], 'create'>
}

export interface BuiltClient {
  client: MessagesClient
  /** Credentials to scrub from error messages. */
  secrets: string[]
}

interface SharedOptions {
  maxRetries: number
  defaultHeaders: Record<string, string> | undefined
}

// maxRetries 0 everywhere: routing owns retries, with Retry-After and the circuit breaker in hand.
export function anthropicClient(options: AnthropicClientOptions): BuiltClient {
  const common: SharedOptions = { maxRetries: 0, defaultHeaders: options.defaultHeaders }
  switch (options.flavor) {
    case undefined:
    case 'anthropic':
      return { client: new Anthropic({ ...common, apiKey: options.apiKey, baseURL: options.baseUrl }), secrets: [options.apiKey] }
    case 'bedrock':
      return bedrockClient(options, common)
    case 'vertex':
      return vertexClient(options, common)
  }
}

function bedrockClient(options: BedrockClientOptions, common: SharedOptions): BuiltClient {
  const c = options.credentials
  const base = { ...common, awsRegion: options.region, ...(options.baseUrl ? { baseURL: options.baseUrl } : {}) }
  if (!c) return { client: new AnthropicBedrock(base), secrets: [] }
  // apiKey null: configured keys must win over a stray AWS_BEARER_TOKEN_BEDROCK in the environment.
  const client = new AnthropicBedrock({
    ...base,
    apiKey: null,
    awsAccessKey: c.accessKeyId,
    awsSecretKey: c.secretAccessKey,
    awsSessionToken: c.sessionToken ?? null,
  })
  return { client, secrets: [c.secretAccessKey, ...(c.sessionToken ? [c.sessionToken] : [])] }
}

function vertexClient(options: VertexClientFlavorOptions, common: SharedOptions): BuiltClient {
  const { region, projectId, accessToken } = options
  // Always our authClient: the SDK's `accessToken` option is stored but never sent (vertex-sdk 1.1.3),
  // and its own ADC setup caches the first lookup's outcome (see vertexAuthClient).
  const authClient = vertexAuthClient<NonNullable<VertexClientOptions['authClient']>>(accessToken)
  const client = new AnthropicVertex({ ...common, region, projectId, authClient, ...(options.baseUrl ? { baseURL: options.baseUrl } : {}) })
  return { client, secrets: accessToken ? [accessToken] : [] }
}
