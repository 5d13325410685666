// Fan-out of conversation events to many in-process listeners (SSE, WebSocket, webhook relay) over a few
// shared Redis connections: each reader XREADs up to `streamsPerReader` streams in one blocking call, so
// 2,000 open streams cost two connections, not 2,000. A listener catches up from its own cursor first, and
// every entry at or before the cursor it has seen is dropped, so a resumed listener misses nothing and sees
// nothing twice.
import type Redis from 'ioredis'
import { offer, startReader, type Listener, type Reader } from './event-hub-reader.ts'
import type { ReplyStream, StreamEntry } from './reply-stream.ts'

export interface EventHubOptions {
  /** Opens a dedicated connection for one reader (it blocks in XREAD). */
  connect: () => Redis
  /** Non-blocking reads for catch-up and waking readers. */
  redis: Redis
  events: ReplyStream
  prefix: string
  /** @defaultValue 1000 */
  streamsPerReader?: number
  /** How long one XREAD waits. @defaultValue 5000 */
  blockMs?: number
  /** Pause after a read that returned events, so bursts are read in batches. @defaultValue 5 */
  batchMs?: number
  onError?: (error: Error) => void
}

export interface EventSubscription {
  close(): void
}

export interface EventHub {
  /** Delivers the conversation's events after `after` ('0' for all kept), in order, until closed. */
  subscribe(conversationId: string, after: string, deliver: (entries: StreamEntry[]) => void): EventSubscription
  /** Open subscriptions. */
  size(): number
  close(): Promise<void>
}

export function createEventHub(options: EventHubOptions): EventHub {
  const readers: Reader[] = []
  const readerOf = new Map<string, Reader>()
  let subscriptions = 0
  const capacity = options.streamsPerReader ?? 1000

  function readerFor(conversationId: string): Reader {
    const existing = readerOf.get(conversationId)
    if (existing) return existing
    const reader = readers.find((r) => r.streams.size < capacity) ?? startReader(options)
    if (!readers.includes(reader)) readers.push(reader)
    readerOf.set(conversationId, reader)
    return reader
  }

  async function catchUp(conversationId: string, listener: Listener): Promise<void> {
    for (;;) {
      const entries = await options.events.read(conversationId, listener.seen, { count: 500 })
      if (entries.length === 0) break
      listener.deliver(entries)
      listener.seen = entries[entries.length - 1]!.cursor
    }
    const buffered = listener.buffer ?? []
    listener.buffer = null
    offer(listener, buffered)
  }

  return {
    subscribe(conversationId, after, deliver) {
      const listener: Listener = { seen: after, buffer: [], deliver }
      const reader = readerFor(conversationId)
      reader.watch(conversationId, after, listener)
      subscriptions++
      let open = true
      void catchUp(conversationId, listener).catch((e: Error) => options.onError?.(e))
      return {
        close() {
          if (!open) return
          open = false
          subscriptions--
          reader.unwatch(conversationId, listener)
          if (!reader.streams.has(conversationId)) readerOf.delete(conversationId)
        },
      }
    },
    size: () => subscriptions,
    async close() {
      for (const reader of readers.splice(0)) reader.stop()
      readerOf.clear()
    },
  }
}
