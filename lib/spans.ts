// Spans for business code and the W3C trace context at the HTTP edges, on `@opentelemetry/api` only: nothing
// here throws into its caller, and each costs one branch while tracing is off. lib/telemetry.ts (the only
// SDK importer) switches it on.
import {
  context, isSpanContextValid, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace,
  type Attributes, type Link, type Span, type TextMapGetter,
} from '@opentelemetry/api'

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
  routingPolicyVersion: 'switchboard.routing.policy_version',
  routingRule: 'switchboard.routing.rule',
  routingDegradedBy: 'switchboard.routing.degraded_by',
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

interface StartOptions extends SpanOptions {
  /** Start a new trace even inside an active span. */
  root?: boolean
  links?: () => Link[]
}

function start(name: string, options: StartOptions, startTime?: number): Span | undefined {
  try {
    const { kind, root } = options
    return trace.getTracer(TRACER_NAME).startSpan(name, { kind, root, attributes: options.attributes?.(), links: options.links?.(), startTime })
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

/** Runs `fn` with `span` active and ends it; `fn`'s own errors pass through unchanged, marking the span when `failed`. */
async function within<T>(span: Span, fn: () => Promise<T>, failed: (error: unknown) => boolean = () => true): Promise<T> {
  try {
    return await context.with(trace.setSpan(context.active(), span), fn)
  } catch (e) {
    if (failed(e)) fail(span, e)
    throw e
  } finally {
    safely(() => span.end())
  }
}

/** Runs `fn` inside a child span of the active context; `fn`'s own errors pass through unchanged. */
export async function withSpan<T>(name: string, fn: (span: SpanHandle) => Promise<T>, options: SpanOptions = {}): Promise<T> {
  const span = enabled ? start(name, options) : undefined
  return span ? within(span, () => fn(handleOf(span))) : fn(NOOP)
}

/** A span for something that already happened (e.g. time spent waiting in a mailbox), ending now. */
export function recordSpan(name: string, startTimeMs: number, options: SpanOptions = {}): void {
  if (!enabled) return
  const span = start(name, options, Math.min(startTimeMs, Date.now()))
  if (span) safely(() => span.end())
}

// W3C trace context at the HTTP edges (`traceparent`/`tracestate`; the SDK registers the propagator).

const HEADERS: TextMapGetter<Headers> = {
  keys: (h) => {
    const names: string[] = []
    h.forEach((_, name) => names.push(name))
    return names
  },
  get: (h, name) => h.get(name) ?? undefined,
}

function callerLinks(headers: Headers): Link[] {
  const caller = trace.getSpanContext(propagation.extract(ROOT_CONTEXT, headers, HEADERS))
  return caller && isSpanContextValid(caller) ? [{ context: caller }] : []
}

/**
 * `http.response.status_code`, and an error status from `errorFrom` up: the HTTP conventions count 4xx as a
 * failure of a client's call but not of the server, which answered as it should.
 */
function recordResponse(span: Span, statusOf: () => number, errorFrom: 400 | 500): void {
  safely(() => {
    const status = statusOf()
    span.setAttribute('http.response.status_code', status)
    if (status >= errorFrom) {
      span.setStatus({ code: SpanStatusCode.ERROR })
      span.setAttribute(ATTR.errorType, String(status))
    }
  })
}

/** How the caller answers: the HTTP mapping is api/'s (api/errors.ts), which lib/ cannot import. */
export interface ResponseStatus {
  /** The response's status, read once the handler has returned. */
  status(): number
  /** The status an error thrown by the handler is answered with. */
  statusOf(error: unknown): number
}

/**
 * Runs an inbound request's handler in a SERVER span that starts a new trace, linked to the caller's span when
 * the request carries a `traceparent`. A link, not a parent: the API is a public endpoint, so a caller must
 * not choose our trace ids or switch our sampling off with its flags, and a turn stays one trace of its own.
 * Mail sent inside `fn` carries this trace over the BullMQ hops (queues/telemetry.ts). The span records the
 * response status; only a 5xx (answered or thrown) marks it as an error.
 */
export async function withServerSpan<T>(request: Request, route: string, response: ResponseStatus, fn: () => Promise<T>): Promise<T> {
  const span = enabled ? start(`${request.method} ${route}`, {
    kind: SpanKind.SERVER, root: true, links: () => callerLinks(request.headers),
    attributes: () => ({ 'http.request.method': request.method, 'http.route': route }),
  }) : undefined
  if (!span) return fn()
  let thrownStatus = 500
  return within(span, async () => {
    const result = await fn().catch((e: unknown) => {
      safely(() => (thrownStatus = response.statusOf(e)))
      recordResponse(span, () => thrownStatus, 500)
      throw e
    })
    recordResponse(span, () => response.status(), 500)
    return result
  }, () => thrownStatus >= 500)
}

export type OutboundInit = RequestInit & { method: string; headers: Record<string, string> }

/**
 * `fetch` in a CLIENT span (one per attempt, as the HTTP conventions ask) whose context goes out as
 * `traceparent`, so the server's spans join this trace. Only the host is recorded: paths and queries may hold PII.
 */
export async function tracedFetch(url: string, init: OutboundInit, doFetch: typeof fetch = fetch): Promise<Response> {
  const span = enabled ? start(init.method, {
    kind: SpanKind.CLIENT,
    attributes: () => {
      const { hostname, port, protocol } = new URL(url)
      return { 'http.request.method': init.method, 'server.address': hostname, 'server.port': Number(port) || (protocol === 'https:' ? 443 : 80) }
    },
  }) : undefined
  if (!span) return doFetch(url, init)
  return within(span, async () => {
    const headers = { ...init.headers }
    safely(() => propagation.inject(context.active(), headers))
    const res = await doFetch(url, { ...init, headers })
    recordResponse(span, () => res.status, 400)
    return res
  })
}
