// Node's `TracingChannel#hasSubscribers` (Node 20.13+), which Bun's tracing channels lack. ioredis (5.11+) traces a
// command only when its channel has subscribers, and it takes a missing property for "someone listens": without this,
// every Redis command of every client sanitizes its arguments and wraps its promise for tracing nobody reads.
// Imported for its effect by the modules that create Redis clients.
import diagnostics from 'node:diagnostics_channel'

const EVENTS = ['start', 'end', 'asyncStart', 'asyncEnd', 'error'] as const

type TracingChannelLike = Record<(typeof EVENTS)[number], { hasSubscribers: boolean }>

const prototype = Object.getPrototypeOf(diagnostics.tracingChannel('switchboard:probe')) as object
if (!('hasSubscribers' in prototype)) {
  Object.defineProperty(prototype, 'hasSubscribers', {
    configurable: true,
    get(this: TracingChannelLike) {
      return EVENTS.some((event) => this[event].hasSubscribers)
    },
  })
}
