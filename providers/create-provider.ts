// Builds a Provider from a plain config object: validates it against its vendor's schema (errors name
// the path, never the value, so keys stay out of logs) and hands it to that vendor's adapter.

import { Value } from '@sinclair/typebox/value'
import { assertNever, TerminalError } from '../lib/errors.ts'
import { createAnthropicProvider, createBedrockProvider, createGeminiProvider, createOpenAIProvider } from './vendors.ts'
import type { Provider } from './provider.ts'
import { SPEC_BY_VENDOR, type ProviderSpec, type Vendor } from './provider-spec.ts'

export const OLLAMA_BASE_URL = 'http://127.0.0.1:11434/v1'

export function createProvider(spec: unknown): Provider {
  return build(parseProviderSpec(spec))
}

/** Validates a provider config; throws TerminalError('config.invalid') listing every bad path. */
export function parseProviderSpec(spec: unknown): ProviderSpec {
  const vendor = (spec as { vendor?: unknown } | null)?.vendor
  if (typeof vendor !== 'string' || !(vendor in SPEC_BY_VENDOR)) {
    const known = Object.keys(SPEC_BY_VENDOR).join(', ')
    throw new TerminalError('config.invalid', `provider spec: vendor must be one of ${known}`)
  }
  const schema = SPEC_BY_VENDOR[vendor as Vendor]
  if (Value.Check(schema, spec)) return spec as ProviderSpec
  const problems = [...Value.Errors(schema, spec)].map((e) => `${e.path || '/'} ${e.message}`)
  throw new TerminalError('config.invalid', `provider spec (${vendor}): ${problems.join('; ')}`)
}

function build(spec: ProviderSpec): Provider {
  const base = { name: spec.name ?? spec.vendor, timeoutMs: spec.timeoutMs }
  switch (spec.vendor) {
    case 'openai':
      return createOpenAIProvider({ ...base, apiKey: spec.apiKey, baseUrl: spec.baseUrl, organization: spec.organization })
    case 'azure-openai': {
      const azure = { endpoint: spec.baseUrl, apiVersion: spec.apiVersion, deployment: spec.deployment }
      return createOpenAIProvider({ ...base, flavor: 'azure', apiKey: spec.apiKey, azure })
    }
    case 'openai-compatible':
      return createOpenAIProvider({ ...base, flavor: 'compatible', baseUrl: spec.baseUrl, apiKey: spec.apiKey })
    case 'ollama':
      return createOpenAIProvider({ ...base, flavor: 'compatible', baseUrl: spec.baseUrl ?? OLLAMA_BASE_URL })
    case 'anthropic':
      return createAnthropicProvider({ ...base, apiKey: spec.apiKey, baseUrl: spec.baseUrl })
    case 'anthropic-bedrock':
      return createAnthropicProvider({ ...base, flavor: 'bedrock', region: spec.region, baseUrl: spec.baseUrl, credentials: spec.credentials })
    case 'anthropic-vertex': {
      const { region, projectId, baseUrl, accessToken } = spec
      return createAnthropicProvider({ ...base, flavor: 'vertex', region, projectId, baseUrl, accessToken })
    }
    case 'gemini':
      return createGeminiProvider({ ...base, apiKey: spec.apiKey, baseUrl: spec.baseUrl, apiVersion: spec.apiVersion })
    case 'gemini-vertex': {
      const { project, location, baseUrl, apiVersion, accessToken } = spec
      return createGeminiProvider({ ...base, flavor: 'vertex', project, location, baseUrl, apiVersion, accessToken })
    }
    case 'bedrock':
      return createBedrockProvider({ ...base, region: spec.region, baseUrl: spec.baseUrl, credentials: spec.credentials })
    default:
      return assertNever(spec)
  }
}
