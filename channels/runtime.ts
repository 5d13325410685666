// Wiring of the channel machinery a process runs: the event hub (API streams, webhook relay) in every role,
// and in worker roles the webhook relay and delivery worker and the ticket reply sender. platform.ts calls this once.
import type Redis from 'ioredis'
import type { Clock } from '../lib/clock.ts'
import type { Config } from '../lib/config.ts'
import type { Logger } from '../lib/log.ts'
import { createWebhookQueue, startWebhookWorker } from '../queues/index.ts'
import { createEventHub, createRedisClient, type EventHub, type Storage } from '../storage/index.ts'
import { startTicketReplySender } from './ticketing/reply-sender.ts'
import { createWebhookSender } from './webhooks/sender.ts'
import { createWebhookWatch, startWebhookRelay } from './webhooks/relay.ts'

export interface ChannelsOptions {
  config: Pick<Config, 'redis' | 'webhooks' | 'workerId'>
  storage: Storage
  /** The BullMQ connection (queues/ duplicates it for its workers). */
  connection: Redis
  clock: Clock
  log: Logger
  /** Run the webhook relay and delivery worker here (worker and all roles). */
  deliverWebhooks: boolean
}

export interface Channels {
  hub: EventHub
  /** Marks a conversation for the webhook relay (called on every accepted message). */
  watch(tenantId: string, conversationId: string): void
  close(): Promise<void>
}

export function startChannels(o: ChannelsOptions): Channels {
  const { prefix, url } = o.config.redis
  const onError = (error: Error) => o.log.warn('event hub read failed', { error })
  const hub = createEventHub({
    connect: () => createRedisClient(url, 'switchboard-event-hub'), redis: o.storage.redis, events: o.storage.events, prefix, onError,
  })
  const watcher = createWebhookWatch(o.storage, prefix, o.log)
  const closers: Array<() => Promise<unknown>> = []
  if (o.deliverWebhooks) {
    const queue = createWebhookQueue(o.connection, prefix, { attempts: o.config.webhooks.maxAttempts, backoffMs: o.config.webhooks.backoffMs })
    const sender = createWebhookSender({ storage: o.storage, clock: o.clock, timeoutMs: o.config.webhooks.timeoutMs })
    const worker = startWebhookWorker(o.connection, prefix, sender, { onError: (error) => o.log.warn('webhook worker error', { error }) })
    const relay = startWebhookRelay({ storage: o.storage, hub, queue, prefix, workerId: o.config.workerId, log: o.log })
    const { maxAttempts, backoffMs, timeoutMs, ticketReplyPollMs } = o.config.webhooks
    const ticketReplies = startTicketReplySender({ storage: o.storage, log: o.log, pollMs: ticketReplyPollMs, maxAttempts, backoffMs, timeoutMs })
    closers.push(() => ticketReplies.close(), () => relay.close(), () => worker.close(), () => queue.close())
  }
  return {
    hub,
    watch: (tenantId, conversationId) => watcher.watch(tenantId, conversationId),
    async close() {
      for (const close of closers) await close()
      await hub.close()
    },
  }
}
