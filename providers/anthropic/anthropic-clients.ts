// Builds the Anthropic SDK client for each place Claude is served: the first-party API
// (`@anthropic-ai/sdk`), Amazon Bedrock (`@anthropic-ai/bedrock-sdk`, SigV4, InvokeModel) and Google
// Vertex AI (`@anthropic-ai/vertex-sdk`, OAuth, rawPredict). All three share the messages resource and
// error classes of `@anthropic-ai/sdk`, so one adapter maps requests, replies and errors for all of them.
// The Bedrock and Vertex SDKs (with google-auth-library) load on a client's first call, and only for a provider
// that uses them: 34 MB of a process's memory and 150 ms of its start. They load as ES modules, as the adapter's
// own import of `@anthropic-ai/sdk` does, so their errors are that one copy's classes (lib/on-first-call.ts).

import Anthropic from '@anthropic-ai/sdk'
import type { ClientOptions as VertexClientOptions } from '@anthropic-ai/vertex-sdk'

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

/** A client whose SDK loads, and which is built, on its first call. */
function builtOnFirstCall(build: () => Promise<MessagesClient>): MessagesClient {
  let built: Promise<MessagesClient> | undefined
  const create = async (...args: Parameters<MessagesClient['messages']['create']>) => (await (built ??= build())).messages.create(...args)
  return { messages: { create: create as MessagesClient['messages']['create'] } }
}

function bedrockClient(options: BedrockClientOptions, common: SharedOptions): BuiltClient {
  const c = options.credentials
  const base = { ...common, awsRegion: options.region, ...(options.baseUrl ? { baseURL: options.baseUrl } : {}) }
  const client = builtOnFirstCall(async () => {
    const { AnthropicBedrock } = await import('@anthropic-ai/bedrock-sdk')
    if (!c) return new AnthropicBedrock(base)
    // apiKey null: configured keys must win over a stray AWS_BEARER_TOKEN_BEDROCK in the environment.
    return new AnthropicBedrock({ ...base, apiKey: null, awsAccessKey: c.accessKeyId, awsSecretKey: c.secretAccessKey, awsSessionToken: c.sessionToken ?? null })
  })
  return { client, secrets: c ? [c.secretAccessKey, ...(c.sessionToken ? [c.sessionToken] : [])] : [] }
}

function vertexClient(options: VertexClientFlavorOptions, common: SharedOptions): BuiltClient {
  const { region, projectId, accessToken } = options
  const client = builtOnFirstCall(async () => {
    const [{ AnthropicVertex }, { vertexAuthClient }] = await Promise.all([import('@anthropic-ai/vertex-sdk'), import('../gemini/google-auth.ts')])
    // Always our authClient: the SDK's `accessToken` option is stored but never sent (vertex-sdk 1.1.3),
    // and its own ADC setup caches the first lookup's outcome (see vertexAuthClient).
    const authClient = vertexAuthClient<NonNullable<VertexClientOptions['authClient']>>(accessToken)
    return new AnthropicVertex({ ...common, region, projectId, authClient, ...(options.baseUrl ? { baseURL: options.baseUrl } : {}) })
  })
  return { client, secrets: accessToken ? [accessToken] : [] }
}
