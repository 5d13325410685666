// Tracing setup, the only importer of the OTel SDK: an OTLP (or console) exporter when the OTEL_* variables
// ask for one, nothing at all otherwise, and an in-memory exporter for tests. Never throws into callers.
import { context, propagation, trace, type Attributes, type Context, type Link, type SpanKind } from '@opentelemetry/api'
import type { NodeTracerProvider, ReadableSpan, Sampler, SamplingResult, SpanProcessor } from '@opentelemetry/sdk-trace-node'
import { setSpansEnabled } from './spans.ts'

// The SDK is loaded only by a process that traces: one that does not keeps none of it in its heap.
const sdk = () => require('@opentelemetry/sdk-trace-node') as typeof import('@opentelemetry/sdk-trace-node')
const resources = () => require('@opentelemetry/resources') as typeof import('@opentelemetry/resources')

export type FinishedSpan = ReadableSpan

export interface TracingOptions {
  /** Which exporter; `none` installs nothing (no SDK cost). Derived from OTEL_TRACES_EXPORTER in lib/config.ts. */
  exporter: 'otlp' | 'console' | 'none'
  /** Resource attributes; OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES override them. */
  serviceName: string
  serviceInstanceId?: string
}

export interface Tracing {
  readonly enabled: boolean
  /** Flushes pending spans and uninstalls the provider. */
  shutdown(): Promise<void>
}

// BullMQ traces its own housekeeping (stalled-job checks every few seconds per worker, job fetches, closes).
// Only its hops (add → process) belong in a turn's trace; the rest would be thousands of one-span traces.
const BULLMQ_HOUSEKEEPING = new Set([
  // 'complete' is BullMQ's moveToFinished after `process`: the process span already covers the job.
  'complete', 'getNextJob', 'startStalledCheckTimer', 'moveStalledJobsToWait', 'close', 'pause', 'resume', 'rateLimit', 'trimEvents',
  'drain', 'clean', 'obliterate', 'promoteJobs', 'retryJobs', 'remove', 'removeDeduplicationKey', 'removeDebounceKey',
])

class HopsOnlySampler implements Sampler {
  private readonly inner = new (sdk().ParentBasedSampler)({ root: new (sdk().AlwaysOnSampler)() })
  private readonly notRecorded: SamplingResult = { decision: sdk().SamplingDecision.NOT_RECORD }

  shouldSample(ctx: Context, traceId: string, name: string, kind: SpanKind, attributes: Attributes, links: Link[]): SamplingResult {
    const space = name.indexOf(' ')
    if (space > 0 && BULLMQ_HOUSEKEEPING.has(name.slice(0, space))) return this.notRecorded
    return this.inner.shouldSample(ctx, traceId, name, kind, attributes, links)
  }

  toString(): string {
    return 'HopsOnlySampler'
  }
}

function install(processor: SpanProcessor, options: Pick<TracingOptions, 'serviceName' | 'serviceInstanceId'>): NodeTracerProvider {
  const { detectResources, envDetector, resourceFromAttributes } = resources()
  const base = resourceFromAttributes({
    'service.name': options.serviceName,
    ...(options.serviceInstanceId ? { 'service.instance.id': options.serviceInstanceId } : {}),
  })
  const provider = new (sdk().NodeTracerProvider)({
    resource: base.merge(detectResources({ detectors: [envDetector] })),
    sampler: new HopsOnlySampler(),
    spanProcessors: [processor],
  })
  provider.register()
  setSpansEnabled(true)
  return provider
}

function uninstall(): void {
  setSpansEnabled(false)
  trace.disable()
  context.disable()
  propagation.disable()
}

const OFF: Tracing = { enabled: false, shutdown: async () => {} }

/**
 * Installs the process-wide tracer provider. The OTLP exporter reads its endpoint, headers and protocol
 * from the standard OTEL_EXPORTER_OTLP_* variables; the batch processor reads OTEL_BSP_*.
 * @example const tracing = startTracing({ exporter: config.telemetry.traces, serviceName: 'switchboard' })
 */
export function startTracing(options: TracingOptions): Tracing {
  if (options.exporter === 'none') return OFF
  try {
    const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-http') as typeof import('@opentelemetry/exporter-trace-otlp-http')
    const exporter = options.exporter === 'otlp' ? new OTLPTraceExporter() : new (sdk().ConsoleSpanExporter)()
    const provider = install(new (sdk().BatchSpanProcessor)(exporter), options)
    return {
      enabled: true,
      async shutdown() {
        await provider.shutdown().catch(() => {})
        uninstall()
      },
    }
  } catch (e) {
    console.error(`tracing disabled: ${(e as Error).message}`)
    return OFF
  }
}

export interface TestTracing {
  /** Spans ended so far, in the order they ended. */
  spans(): FinishedSpan[]
  reset(): void
  uninstall(): Promise<void>
}

/** Tests: every span goes synchronously to memory. Call `uninstall()` in afterAll. */
export function installTestTracing(): TestTracing {
  const exporter = new (sdk().InMemorySpanExporter)()
  const provider = install(new (sdk().SimpleSpanProcessor)(exporter), { serviceName: 'switchboard-test' })
  return {
    spans: () => exporter.getFinishedSpans(),
    reset: () => exporter.reset(),
    async uninstall() {
      await provider.shutdown().catch(() => {})
      uninstall()
    },
  }
}
