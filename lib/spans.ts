// Spans for business code, on `@opentelemetry/api` only: `withSpan` never throws into its caller and costs
// one branch while tracing is off. lib/telemetry.ts (the only SDK importer) switches it on.
import { context, SpanKind, SpanStatusCode, trace, type Attributes, type Span } from '@opentelemetry/api'

export { SpanKind }

/** Attribute names: the OTel GenAI semantic conventions where they exist, `switchboard.*` otherwise. */
export const ATTR = {
  operation: 'gen_ai.operation.name',
  system: 'gen_ai.system',
  providerName: 'gen_ai.provider.name',
  requestModel: 'gen_ai.request.model',
  responseModel: 'gen_ai.response.model',
  finishReasons: 'gen_ai.response.finish_reasons',
  inputTokens: 'gen_ai.usage.input_tokens',
  outputTokens: 'gen_ai.usage.output_tokens',
  conversationId: 'gen_ai.conversation.id',
  agentName: 'gen_ai.agent.name',
  toolName: 'gen_ai.tool.name',
  toolCallId: 'gen_ai.tool.call.id',
  inputMessages: 'gen_ai.input.messages',
  outputMessages: 'gen_ai.output.messages',
  errorType: 'error.type',
  turnId: 'switchboard.turn.id',
  step: 'switchboard.step',
  costUsd: 'switchboard.cost_usd',
  cachedTokens: 'switchboard.usage.cached_tokens',
  fallbackPath: 'switchboard.fallback_path',
  outcome: 'switchboard.outcome',
} as const

/** What a traced function may do with its span. Every method is a no-op while tracing is off. */
export interface SpanHandle {
  /** `attrs` runs only when tracing is on; a getter that throws is ignored. */
  annotate(attrs: () => Attributes): void
  rename(name: string): void
  /** The trace id of this span, or undefined while tracing is off. */
  traceId(): string | undefined
}

export interface SpanOptions {
  kind?: SpanKind
  attributes?: () => Attributes
}

let enabled = false
const TRACER_NAME = 'switchboard'

const NOOP: SpanHandle = { annotate: () => {}, rename: () => {}, traceId: () => undefined }

/** Called by lib/telemetry.ts when a tracer provider is (un)installed. */
export function setSpansEnabled(on: boolean): void {
  enabled = on
}

export const spansEnabled = (): boolean => enabled

function safely(work: () => void): void {
  try {
    work()
  } catch {
    // Telemetry never throws into business code.
  }
}

function handleOf(span: Span): SpanHandle {
  return {
    annotate: (attrs) => safely(() => span.setAttributes(attrs())),
    rename: (name) => safely(() => span.updateName(name)),
    traceId: () => span.spanContext().traceId,
  }
}

function start(name: string, options: SpanOptions, startTime?: number): Span | undefined {
  try {
    const attributes = options.attributes?.()
    return trace.getTracer(TRACER_NAME).startSpan(name, { kind: options.kind, attributes, startTime })
  } catch {
    return undefined
  }
}

function fail(span: Span, error: unknown): void {
  safely(() => {
    const e = error instanceof Error ? error : new Error(String(error))
    span.recordException(e)
    span.setStatus({ code: SpanStatusCode.ERROR, message: e.message })
    const code = (error as { code?: unknown }).code
    span.setAttribute(ATTR.errorType, typeof code === 'string' ? code : e.name)
  })
}

/** Runs `fn` inside a child span of the active context; `fn`'s own errors pass through unchanged. */
export async function withSpan<T>(name: string, fn: (span: SpanHandle) => Promise<T>, options: SpanOptions = {}): Promise<T> {
  if (!enabled) return fn(NOOP)
  const span = start(name, options)
  if (!span) return fn(NOOP)
  try {
    return await context.with(trace.setSpan(context.active(), span), () => fn(handleOf(span)))
  } catch (e) {
    fail(span, e)
    throw e
  } finally {
    safely(() => span.end())
  }
}

/** A span for something that already happened (e.g. time spent waiting in a mailbox), ending now. */
export function recordSpan(name: string, startTimeMs: number, options: SpanOptions = {}): void {
  if (!enabled) return
  const span = start(name, options, Math.min(startTimeMs, Date.now()))
  if (span) safely(() => span.end())
}
