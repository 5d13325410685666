// The emulator's vocabulary: scripted replies, injected faults and the normalized view of a request.
// Plain data only, so the same scripts can arrive as JSON on the control endpoint of a standalone run.

/** The wire a request arrived on; Anthropic and Gemini on a cloud platform have their own routes. */
export type Vendor = 'openai' | 'anthropic' | 'anthropic-bedrock' | 'anthropic-vertex' | 'gemini' | 'gemini-vertex' | 'bedrock'

export interface ScriptedToolCall {
  /** Generated per vendor style (call_…, toolu_…, tooluse_…) when absent. */
  id?: string
  name: string
  arguments: Record<string, unknown>
}

/** What the fake model answers. Rendered into each vendor's JSON or stream format. */
export interface Reply {
  text?: string
  toolCalls?: ScriptedToolCall[]
  /** `content_filter` renders as the vendor's own refusal/safety stop reason. */
  stopReason?: 'end' | 'tool_use' | 'max_tokens' | 'content_filter'
  usage?: { inputTokens?: number; outputTokens?: number; cachedTokens?: number }
}

export type Fault =
  /** An HTTP error in the vendor's error body shape; `retryAfterSeconds` sets Retry-After. */
  | { kind: 'status'; status: number; message?: string; retryAfterSeconds?: number }
  /** Accept the request and never answer, until the client gives up or the emulator closes. */
  | { kind: 'hang' }
  /**
   * Send `afterFrames` frames of the reply (stream or JSON body), then reset the connection; with
   * `clean`, end the body normally instead, as a proxy that drops the vendor's final events would.
   */
  | { kind: 'cut'; afterFrames?: number; clean?: boolean }
  /** A 200 whose body (or one stream frame) is not valid JSON. */
  | { kind: 'malformed' }

/** Declarative matcher: every given field must hold. */
export interface ScriptMatch {
  vendor?: Vendor
  model?: string
  /** Substring of the last message's text (a user turn or a tool result). */
  textIncludes?: string
}

export interface Script {
  reply?: Reply
  fault?: Fault
  /** A matched script is used only by requests it matches; unmatched scripts are served in FIFO order. */
  match?: ScriptMatch | ((req: EmulatedRequest) => boolean)
  /** How many requests this script serves. @defaultValue 1 */
  times?: number
  /** Serve every matching request until `reset()`. */
  repeat?: boolean
  /** Delay before the response starts. */
  latencyMs?: number
  /** Delay between stream tokens. */
  perTokenMs?: number
}

/** A request as the emulator understood it, recorded for assertions and used by matchers. */
export interface EmulatedRequest {
  vendor: Vendor
  path: string
  model: string
  stream: boolean
  system?: string
  messages: { role: string; text: string }[]
  toolNames: string[]
  toolResults: { id: string; content: string }[]
  lastText: string
  headers: Record<string, string>
  body: unknown
}

export interface EmulatorOptions {
  /** @defaultValue 0 (an ephemeral port) */
  port?: number
  /** @defaultValue '127.0.0.1' */
  hostname?: string
  /** Applied when a script sets none. @defaultValue 0 */
  latencyMs?: number
  /** @defaultValue 0 */
  perTokenMs?: number
  /** Answer for unscripted requests. @defaultValue echo the last message */
  fallback?: Reply
}
