// Accumulates a reply (text, tool calls, usage, stop reason) from JSON or stream pieces into the
// normalized ProviderResponse. Shared by every adapter so the shape is built in one place.

import { RetryableError } from '../lib/errors.ts'
import type { ProviderResponse, StopReason, TokenUsage, ToolCall } from './provider.ts'

export class ResponseBuilder {
  text = ''
  readonly toolCalls: ToolCall[] = []
  usage: TokenUsage = { inputTokens: 0, outputTokens: 0, cachedTokens: 0 }
  stopReason: StopReason = 'other'

  constructor(
    private readonly provider: string,
    private readonly model: string,
  ) {}

  build(model = this.model): ProviderResponse {
    const { provider, text, usage, stopReason } = this
    return { provider, model, text, toolCalls: [...this.toolCalls], usage: { ...usage }, stopReason }
  }
}

/**
 * Parses model-produced tool arguments. Invalid JSON from the model is a malformed reply: retryable,
 * since sampling again usually fixes it.
 */
export function parseToolArguments(provider: string, name: string, raw: string): Record<string, unknown> {
  if (raw.trim() === '') return {}
  let value: unknown
  try {
    value = JSON.parse(raw)
  } catch {
    throw new RetryableError('provider.malformed', `${provider}: tool call ${name} has arguments that are not valid JSON`)
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new RetryableError('provider.malformed', `${provider}: tool call ${name} arguments are not a JSON object`)
  }
  return value as Record<string, unknown>
}

/** Tool results are strings in the normalized interface; vendors that want objects get JSON or a wrapper. */
export function toolResultObject(content: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(content)
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>
  } catch {
    // Not JSON: wrap the text below.
  }
  return { result: content }
}
