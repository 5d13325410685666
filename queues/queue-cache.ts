// Queue handles of conversation mailboxes, kept by recency. They share the caller's connection, so a handle costs
// no Redis connection; the cache only saves rebuilding its keys and script wrappers on every message.
import { Queue, type QueueOptions } from 'bullmq'
import { names } from './names.ts'

export interface QueueCache {
  get(conversationId: string): Queue
  close(): Promise<void>
}

/** `options` are BullMQ's Queue options plus what a fetching script reads from them (see mailbox-jobs.ts). */
export function createQueueCache(options: QueueOptions & { lockDuration?: number }, capacity: number): QueueCache {
  const queues = new Map<string, Queue>()
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
      // value its scripts read (the events stream's length) where it is missing.
      q = new Queue(names.mailbox(conversationId), { skipVersionCheck: true, skipMetasUpdate: true, ...options })
      // Every handle re-emits its shared connection's errors, which that connection's own handler already logs
      // (connection.ts): a listener here keeps them from being thrown, without a log line per handle.
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
