// One reader of the event hub: a dedicated connection blocked in XREAD over up to `streamsPerReader`
// conversation streams plus its own wake stream, handing what it reads to the listeners of each stream.
import type Redis from 'ioredis'
import type { EventHubOptions } from './event-hub.ts'
import type { StreamEntry } from './reply-stream.ts'

export interface Listener {
  seen: string
  /** Entries the reader delivered while the listener was still catching up; null once live. */
  buffer: StreamEntry[] | null
  deliver: (entries: StreamEntry[]) => void
}

interface Watched {
  cursor: string
  listeners: Set<Listener>
}

export interface Reader {
  streams: Map<string, Watched>
  watch(conversationId: string, after: string, listener: Listener): void
  unwatch(conversationId: string, listener: Listener): void
  stop(): void
}

interface ReaderState {
  conn: Redis
  streams: Map<string, Watched>
  // A reader blocked in XREAD learns about a new stream through an entry on its own wake stream.
  wakeKey: string
  wakeCursor: string
  running: boolean
  /** Resolves the wait of a reader that has no streams. */
  idle: null | (() => void)
}

/** Orders stream ids (`<ms>-<seq>`, or `<ms>`). */
export function compareCursor(a: string, b: string): number {
  const [am = '0', as = '0'] = a.split('-')
  const [bm = '0', bs = '0'] = b.split('-')
  return Number(am) - Number(bm) || Number(as) - Number(bs)
}

/** Delivers the entries the listener has not seen, or buffers them while it is catching up. */
export function offer(listener: Listener, entries: StreamEntry[]): void {
  const fresh = entries.filter((e) => compareCursor(e.cursor, listener.seen) > 0)
  if (fresh.length === 0) return
  if (listener.buffer) {
    listener.buffer.push(...fresh)
    return
  }
  listener.seen = fresh[fresh.length - 1]!.cursor
  listener.deliver(fresh)
}

async function readOnce(options: EventHubOptions, r: ReaderState): Promise<void> {
  if (r.streams.size === 0) {
    await new Promise<void>((resolve) => (r.idle = resolve))
    r.idle = null
    return
  }
  const ids = [...r.streams.keys()]
  const keys = [r.wakeKey, ...ids.map((id) => options.events.streamKey(id))]
  const cursors = [r.wakeCursor, ...ids.map((id) => r.streams.get(id)!.cursor)]
  const res = await r.conn.xread('COUNT', 100, 'BLOCK', options.blockMs ?? 5000, 'STREAMS', ...keys, ...cursors)
  if (!res) return
  for (const [key, raw] of res) dispatch(options, r, key, raw)
  await Bun.sleep(options.batchMs ?? 5)
}

function dispatch(options: EventHubOptions, r: ReaderState, key: string, raw: [string, string[]][]): void {
  const last = raw[raw.length - 1]?.[0]
  if (!last) return
  if (key === r.wakeKey) {
    r.wakeCursor = last
    return
  }
  const watched = r.streams.get(key.slice(options.events.streamKey('').length))
  if (!watched) return
  watched.cursor = last
  const entries = raw.map(([cursor, fields]) => ({ cursor, event: JSON.parse(fields[1] ?? '{}') }) as StreamEntry)
  for (const listener of watched.listeners) offer(listener, entries)
}

async function readUntilStopped(options: EventHubOptions, r: ReaderState): Promise<void> {
  while (r.running) {
    await readOnce(options, r).catch(async (e: Error) => {
      if (!r.running) return
      options.onError?.(e)
      await Bun.sleep(500)
    })
  }
}

export function startReader(options: EventHubOptions): Reader {
  const r: ReaderState = {
    conn: options.connect(), streams: new Map(), wakeKey: `${options.prefix}:hub-wake:${crypto.randomUUID()}`,
    wakeCursor: '0', running: true, idle: null,
  }
  const wake = () => {
    if (r.idle) return r.idle()
    void options.redis.xadd(r.wakeKey, 'MAXLEN', '~', '10', '*', 'w', '1').catch((e: Error) => options.onError?.(e))
  }
  void readUntilStopped(options, r)
  return {
    streams: r.streams,
    watch(conversationId, after, listener) {
      const watched = r.streams.get(conversationId)
      if (watched) return void watched.listeners.add(listener)
      r.streams.set(conversationId, { cursor: after, listeners: new Set([listener]) })
      wake()
    },
    unwatch(conversationId, listener) {
      const watched = r.streams.get(conversationId)
      watched?.listeners.delete(listener)
      if (watched?.listeners.size === 0) r.streams.delete(conversationId)
    },
    stop() {
      r.running = false
      r.idle?.()
      r.conn.disconnect()
      void options.redis.unlink(r.wakeKey).catch(() => {})
    },
  }
}
