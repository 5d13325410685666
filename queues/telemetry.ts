// Trace context across BullMQ hops: BullMQ's `telemetry` option with bullmq-otel, which writes the active
// context into each job on add and restores it around processing. Built only when tracing is on.
import type { Telemetry } from 'bullmq'
import { BullMQOtel } from 'bullmq-otel'

export type QueueTelemetry = Telemetry

/** Pass the result as `telemetry` to the mailbox, the actor host and the pools; undefined costs nothing. */
export function createQueueTelemetry(): QueueTelemetry {
  return new BullMQOtel('switchboard')
}
