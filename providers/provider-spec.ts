// The plain-config description of one provider (from YAML, env or a Kubernetes secret), as TypeBox
// schemas so the same objects validate config and document it. Keys live here only in memory.

import { Type, type Static, type TObject } from '@sinclair/typebox'
import { LONGEST_PROVIDER_CALL_MS } from '../lib/limits.ts'

const common = {
  /** Name used in responses, metrics and errors. @defaultValue the vendor */
  name: Type.Optional(Type.String({ minLength: 1 })),
  /** Deadline for calls that set no `timeoutMs`. @defaultValue 60000 */
  timeoutMs: Type.Optional(Type.Integer({ minimum: 1, maximum: LONGEST_PROVIDER_CALL_MS })),
}
const key = Type.String({ minLength: 1 })
const url = Type.String({ pattern: '^https?://' })

export const OpenAISpec = Type.Object({ vendor: Type.Literal('openai'), apiKey: key, baseUrl: Type.Optional(url), organization: Type.Optional(Type.String()), ...common })
export const AzureOpenAISpec = Type.Object({
  vendor: Type.Literal('azure-openai'),
  apiKey: key,
  /** The resource endpoint, e.g. https://my-resource.openai.azure.com */
  baseUrl: url,
  apiVersion: Type.String({ minLength: 1 }),
  /** Fixed deployment; otherwise the request's `model` names the deployment. */
  deployment: Type.Optional(Type.String({ minLength: 1 })),
  ...common,
})
export const OpenAICompatibleSpec = Type.Object({ vendor: Type.Literal('openai-compatible'), baseUrl: url, apiKey: Type.Optional(key), ...common })
/** Ollama's OpenAI-compatible endpoint. baseUrl @defaultValue http://127.0.0.1:11434/v1 */
export const OllamaSpec = Type.Object({ vendor: Type.Literal('ollama'), baseUrl: Type.Optional(url), ...common })
export const AnthropicSpec = Type.Object({ vendor: Type.Literal('anthropic'), apiKey: key, baseUrl: Type.Optional(url), ...common })
export const GeminiSpec = Type.Object({ vendor: Type.Literal('gemini'), apiKey: key, baseUrl: Type.Optional(url), apiVersion: Type.Optional(Type.String()), ...common })
/** Static AWS credentials; omit to use the AWS default credential chain (IRSA, env, profile). */
const awsCredentials = Type.Optional(Type.Object({ accessKeyId: key, secretAccessKey: key, sessionToken: Type.Optional(key) }))
/** A fixed Google OAuth token (never refreshed: emulators, auth proxies); omit to use Application Default Credentials. */
const googleAccessToken = Type.Optional(key)

export const BedrockSpec = Type.Object({
  vendor: Type.Literal('bedrock'),
  region: Type.String({ minLength: 1 }),
  baseUrl: Type.Optional(url),
  credentials: awsCredentials,
  ...common,
})
/** Claude on Amazon Bedrock through the Anthropic adapter (InvokeModel, Anthropic request format). */
export const AnthropicBedrockSpec = Type.Object({
  vendor: Type.Literal('anthropic-bedrock'),
  region: Type.String({ minLength: 1 }),
  baseUrl: Type.Optional(url),
  credentials: awsCredentials,
  ...common,
})
/** Claude on Google Vertex AI through the Anthropic adapter (rawPredict). baseUrl includes `/v1`. */
export const AnthropicVertexSpec = Type.Object({
  vendor: Type.Literal('anthropic-vertex'),
  region: Type.String({ minLength: 1 }),
  projectId: Type.String({ minLength: 1 }),
  baseUrl: Type.Optional(url),
  accessToken: googleAccessToken,
  ...common,
})
/** Gemini on Google Vertex AI through the Gemini adapter. */
export const GeminiVertexSpec = Type.Object({
  vendor: Type.Literal('gemini-vertex'),
  project: Type.String({ minLength: 1 }),
  location: Type.String({ minLength: 1 }),
  baseUrl: Type.Optional(url),
  apiVersion: Type.Optional(Type.String()),
  accessToken: googleAccessToken,
  ...common,
})

export const SPEC_BY_VENDOR = {
  openai: OpenAISpec,
  'azure-openai': AzureOpenAISpec,
  'openai-compatible': OpenAICompatibleSpec,
  ollama: OllamaSpec,
  anthropic: AnthropicSpec,
  'anthropic-bedrock': AnthropicBedrockSpec,
  'anthropic-vertex': AnthropicVertexSpec,
  gemini: GeminiSpec,
  'gemini-vertex': GeminiVertexSpec,
  bedrock: BedrockSpec,
} satisfies Record<string, TObject>

export type Vendor = keyof typeof SPEC_BY_VENDOR
export const ProviderSpec = Type.Union(Object.values(SPEC_BY_VENDOR))
export type ProviderSpec = { [V in Vendor]: Static<(typeof SPEC_BY_VENDOR)[V]> }[Vendor]
