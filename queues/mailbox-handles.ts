// Conversation mailboxes as BullMQ's scripts and jobs see them, for senders and for hosts that take mail without a
// Worker: a `MinimalQueue` (BullMQ's own interface for queue-like objects) per mailbox, its keys named by BullMQ's
// `QueueKeys`, over one real Queue that holds the connection's wrapper and the server's version for all of them.
// Why not a Queue per mailbox: each wraps the connection again and carries about 100 objects (4.5 KB, 36 µs to
// build). With thousands of conversations passing through, cached Queues were a third of a worker's live heap, and
// each cold turn left one behind for a full collection to find; a handle is made and dropped within its message.
import { createScripts, Queue, QueueKeys, trace, type JobType, type MinimalQueue, type QueueOptions, type Scripts } from 'bullmq'
import type Redis from 'ioredis'
import { names } from './names.ts'

export type MailboxHandle = MinimalQueue & { readonly scripts: Scripts }

export interface MailboxHandles {
  get(conversationId: string): MailboxHandle
  /** Messages in these of BullMQ's states (`wait`, `paused`, `delayed`…) in the conversation's mailbox. */
  count(conversationId: string, states: JobType[]): Promise<number>
  close(): Promise<void>
}

/** `options` are BullMQ's Queue options plus what a fetching script reads from them (the lock's duration). */
export function createMailboxHandles(connection: Redis, options: Omit<QueueOptions, 'connection'> & { lockDuration?: number }): MailboxHandles {
  // Never used for its own keys. No metadata write (BullMQ's add script sets the one value its scripts read where it
  // is missing), no version check, and no wait for the connection's ready event: a command sent while Redis is away
  // fails or waits as any other command on the connection does.
  const base = new Queue(names.mailbox('handles'), {
    skipVersionCheck: true, skipMetasUpdate: true, skipWaitingForReady: true, ...options, connection,
  })
  base.on('error', () => {}) // the connection's own handler logs its errors (connection.ts)
  const keys = new QueueKeys(base.opts.prefix)
  const opts = base.opts
  const noListeners = function (this: MailboxHandle) {
    return this
  }

  function get(conversationId: string): MailboxHandle {
    const name = names.mailbox(conversationId)
    const handle: Omit<MailboxHandle, 'scripts'> & { scripts?: Scripts } = {
      name,
      qualifiedName: keys.getQueueQualifiedName(name),
      keys: keys.getKeys(name),
      toKey: (type: string) => keys.toKey(name, type),
      opts,
      closing: undefined,
      get client() {
        return base.client
      },
      get redisVersion() {
        return base.redisVersion
      },
      get databaseType() {
        return base.databaseType
      },
      emit: () => false,
      on: noListeners,
      removeListener: noListeners,
      waitUntilReady: () => base.waitUntilReady(),
      trace: (kind, operation, destination, callback, metadata) => trace(opts.telemetry, kind, name, operation, destination, callback, metadata),
    }
    handle.scripts = createScripts(handle as MinimalQueue)
    return handle as MailboxHandle
  }

  return {
    get,
    async count(conversationId, states) {
      const counts = (await get(conversationId).scripts.getCounts(states)) as number[]
      return counts.reduce((sum, n) => sum + n, 0)
    },
    close: () => base.close(),
  }
}
