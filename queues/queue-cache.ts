// Queue handles of conversation mailboxes, kept by recency. They share the caller's connection, so a handle costs
// no Redis connection; the cache only saves rebuilding its keys and script wrappers on every message.
import { createIORedisClient, Queue, type QueueOptions } from 'bullmq'
import type Redis from 'ioredis'
import { names } from './names.ts'

export interface QueueCache {
  get(conversationId: string): Queue
  close(): Promise<void>
}

/** `options` are BullMQ's Queue options plus what a fetching script reads from them (see mailbox-jobs.ts). */
export function createQueueCache(options: QueueOptions & { connection: Redis; lockDuration?: number }, capacity: number): QueueCache {
  const queues = new Map<string, Queue>()
  const connection = withoutListeners(options.connection)
  return {
    get(conversationId) {
      let q = queues.get(conversationId)
      if (q) {
        queues.delete(conversationId)
        queues.set(conversationId, q)
        return q
      }
      if (queues.size >= capacity) {
        const oldest = queues.keys().next().value as string
        void queues.get(oldest)?.close().catch(() => {})
        queues.delete(oldest)
      }
      // No metadata write per handle (a round trip for each cold conversation): BullMQ's add script sets the one
      // value its scripts read (the events stream's length) where it is missing. No wait for the connection's ready
      // event either, which a handle cannot hear (see withoutListeners): a command sent while Redis is away fails
      // or waits as any other command on the connection does.
      q = new Queue(names.mailbox(conversationId), {
        skipVersionCheck: true, skipMetasUpdate: true, skipWaitingForReady: true, ...options, connection,
      })
      // A handle still reports its own setup's failures as error events, which would be thrown without a listener.
      q.on('error', () => {})
      queues.set(conversationId, q)
      return q
    },
    async close() {
      await Promise.all([...queues.values()].map((q) => q.close().catch(() => {})))
      queues.clear()
    },
  }
}

const LISTENER_METHODS = [
  'on', 'once', 'addListener', 'prependListener', 'prependOnceListener', 'off', 'removeListener', 'removeAllListeners',
  'setMaxListeners',
] as const

/**
 * The connection as the handles see it: every command goes to it, but no handle subscribes to its events. BullMQ gives
 * each handle listeners for the connection's error, close and ready events, and Bun's EventEmitter copies a listener
 * array on every addition and scans it on every removal: with thousands of handles cached, each cold conversation's
 * handle cost 0.15 ms in listener bookkeeping alone. The handles need none of those events: the connection's own
 * handler logs its errors (connection.ts), and a handle never waits for readiness. BullMQ's own adapter of the
 * connection (which handles use as it is) serves everything else, through the prototype.
 */
function withoutListeners(connection: Redis): Redis {
  const adapter = createIORedisClient(connection)
  const ignore = function (this: unknown) {
    return this
  }
  // Defined, not assigned: an assignment would pass through the adapter to the connection and silence it for everyone.
  return Object.create(adapter, Object.fromEntries(LISTENER_METHODS.map((m) => [m, { value: ignore }])))
}
