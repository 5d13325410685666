// The one normalized interface every LLM vendor adapter implements. No vendor type crosses it:
// adapters translate requests, responses, stream events and errors at this edge.
import type { PrivacyFilter } from './privacy.ts'

/** A tool the model may call, described by JSON Schema (the same object TypeBox produces). */
export interface ToolSpec {
  name: string
  description: string
  parameters: Record<string, unknown>
}

export interface ToolCall {
  id: string
  name: string
  arguments: Record<string, unknown>
}

export type ProviderMessage =
  | { role: 'user'; content: string }
  | { role: 'assistant'; content: string; toolCalls?: ToolCall[] }
  | { role: 'tool'; toolCallId: string; name: string; content: string; isError?: boolean }

export interface ProviderRequest {
  model: string
  system?: string
  messages: ProviderMessage[]
  tools?: ToolSpec[]
  /** @defaultValue 1024 */
  maxTokens?: number
  temperature?: number
  /** Abort the call after this long; surfaces as a retryable `provider.timeout`. */
  timeoutMs?: number
  signal?: AbortSignal
  /** Seals personal data before a vendor sees the request, and opens the answer again (providers/privacy.ts). */
  privacy?: PrivacyFilter
}

/** Billing-shaped usage: cost = input × input price + cached × cached price + output × output price. */
export interface TokenUsage {
  /** Input tokens billed at the full input price: excludes cache reads, includes cache writes. */
  inputTokens: number
  /** Output tokens, including any reasoning/thinking tokens the vendor bills as output. */
  outputTokens: number
  /** Input tokens read from the vendor's prompt cache. */
  cachedTokens: number
}

/** Vendor adapters never return `content_filter`: they raise TerminalError('provider.content_filtered'). */
export type StopReason = 'end' | 'tool_use' | 'max_tokens' | 'content_filter' | 'other'

export interface ProviderResponse {
  provider: string
  model: string
  text: string
  toolCalls: ToolCall[]
  usage: TokenUsage
  stopReason: StopReason
}

export type StreamEvent =
  | { type: 'text'; delta: string }
  | { type: 'tool_call'; call: ToolCall }
  | { type: 'done'; response: ProviderResponse }

/**
 * An LLM behind one interface. Errors are `RetryableError` (429, 5xx, timeouts; `retryAfterMs` from
 * Retry-After) or `TerminalError` (other 4xx, content filters); nothing vendor-specific escapes.
 */
export interface Provider {
  readonly name: string
  /**
   * Runs in this process, with no network and no vendor limits (the offline `local` model, `echo`): it is called in the
   * conversation's own process, because a queue hop would buy it no isolation, scaling or rate limit.
   */
  readonly inProcess?: true
  complete(req: ProviderRequest): Promise<ProviderResponse>
  stream(req: ProviderRequest): AsyncIterable<StreamEvent>
}
