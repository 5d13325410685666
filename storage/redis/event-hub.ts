// Fan-out of conversation events to many in-process listeners (SSE, WebSocket, webhook relay) over a few
// shared Redis connections: each reader XREADs up to `streamsPerReader` streams in one blocking call, so
// 2,000 open streams cost two connections, not 2,000. A listener catches up from its own cursor first, and
// every entry at or before the cursor it has seen is dropped, so a resumed listener misses nothing and sees
// nothing twice.
import type Redis from 'ioredis'
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

interface Listener {
  seen: string
  /** Entries the reader delivered while the listener was still catching up; null once live. */
  buffer: StreamEntry[] | null
  deliver: (entries: StreamEntry[]) => void
}

interface Watched {
  cursor: string
  listeners: Set<Listener>
}

interface Reader {
  streams: Map<string, Watched>
  watch(conversationId: string, after: string, listener: Listener): void
  unwatch(conversationId: string, listener: Listener): void
  stop(): void
}

/** Orders stream ids (`<ms>-<seq>`, or `<ms>`). */
export function compareCursor(a: string, b: string): number {
  const [am = '0', as = '0'] = a.split('-')
  const [bm = '0', bs = '0'] = b.split('-')
  return Number(am) - Number(bm) || Number(as) - Number(bs)
}

function offer(listener: Listener, entries: StreamEntry[]): void {
  const fresh = entries.filter((e) => compareCursor(e.cursor, listener.seen) > 0)
  if (fresh.length === 0) return
  if (listener.buffer) {
    listener.buffer.push(...fresh)
    return
  }
  listener.seen = fresh[fresh.length - 1]!.cursor
  listener.deliver(fresh)
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

function startReader(options: EventHubOptions): Reader {
  const conn = options.connect()
  const streams = new Map<string, Watched>()
  // A reader blocked in XREAD learns about a new stream through an entry on its own wake stream.
  const wakeKey = `${options.prefix}:hub-wake:${crypto.randomUUID()}`
  const state = { running: true, wakeCursor: '0', idle: null as null | (() => void) }

  const wake = () => {
    if (state.idle) return state.idle()
    void options.redis.xadd(wakeKey, 'MAXLEN', '~', '10', '*', 'w', '1').catch((e: Error) => options.onError?.(e))
  }

  async function readOnce(): Promise<void> {
    if (streams.size === 0) {
      await new Promise<void>((resolve) => (state.idle = resolve))
      state.idle = null
      return
    }
    const ids = [...streams.keys()]
    const keys = [wakeKey, ...ids.map((id) => options.events.streamKey(id))]
    const cursors = [state.wakeCursor, ...ids.map((id) => streams.get(id)!.cursor)]
    const res = await conn.xread('COUNT', 100, 'BLOCK', options.blockMs ?? 5000, 'STREAMS', ...keys, ...cursors)
    if (!res) return
    for (const [key, raw] of res) dispatch(key, raw)
    await Bun.sleep(options.batchMs ?? 5)
  }

  function dispatch(key: string, raw: [string, string[]][]): void {
    const last = raw[raw.length - 1]?.[0]
    if (!last) return
    if (key === wakeKey) {
      state.wakeCursor = last
      return
    }
    const conversationId = key.slice(options.events.streamKey('').length)
    const watched = streams.get(conversationId)
    if (!watched) return
    watched.cursor = last
    const entries = raw.map(([cursor, fields]) => ({ cursor, event: JSON.parse(fields[1] ?? '{}') }) as StreamEntry)
    for (const listener of watched.listeners) offer(listener, entries)
  }

  void (async () => {
    while (state.running) {
      await readOnce().catch(async (e: Error) => {
        if (!state.running) return
        options.onError?.(e)
        await Bun.sleep(500)
      })
    }
  })()

  return {
    streams,
    watch(conversationId, after, listener) {
      const watched = streams.get(conversationId)
      if (watched) return void watched.listeners.add(listener)
      streams.set(conversationId, { cursor: after, listeners: new Set([listener]) })
      wake()
    },
    unwatch(conversationId, listener) {
      const watched = streams.get(conversationId)
      watched?.listeners.delete(listener)
      if (watched?.listeners.size === 0) streams.delete(conversationId)
    },
    stop() {
      state.running = false
      state.idle?.()
      conn.disconnect()
      void options.redis.unlink(wakeKey).catch(() => {})
    },
  }
}
