// From conversation events to webhook deliveries. API processes mark conversations of subscribed tenants as
// watched; one relay per deployment (a Redis lease) follows the watched streams through the event hub,
// records one delivery per (subscription, event) and queues it. Its cursors live in Redis, so a new leader
// resumes where the old one stopped; a re-read event maps to the same delivery id and is dropped.
import type Redis from 'ioredis'
import type { Logger } from '../../lib/log.ts'
import type { EventHub, EventSubscription, StreamEntry, Storage } from '../../storage/index.ts'

export interface WebhookWatch {
  /** Marks the conversation watched when its tenant has a subscription (cached for a few seconds). */
  watch(tenantId: string, conversationId: string): void
}

export interface RelayDeps {
  storage: Pick<Storage, 'webhooks' | 'chat' | 'redis'>
  hub: EventHub
  queue: { enqueue(deliveryId: string): Promise<void> }
  prefix: string
  workerId: string
  log: Logger
  /** A conversation with no new message for this long is no longer followed. @defaultValue 3_600_000 */
  watchTtlMs?: number
  /** @defaultValue 1000 */
  syncMs?: number
}

const keys = (prefix: string) => ({
  watch: `${prefix}:webhook:watch`,
  cursors: `${prefix}:webhook:cursors`,
  leader: `${prefix}:webhook:leader`,
})
const SUBSCRIBED_CACHE_MS = 5000

export function createWebhookWatch(storage: Pick<Storage, 'webhooks' | 'redis'>, prefix: string, log: Logger): WebhookWatch {
  let subscribed = { tenants: new Set<string>(), at: 0 }
  let refreshing: Promise<void> | null = null
  const refresh = async () => {
    subscribed = { tenants: new Set(await storage.webhooks.subscribedTenants()), at: Date.now() }
  }
  return {
    watch(tenantId, conversationId) {
      const stale = Date.now() - subscribed.at > SUBSCRIBED_CACHE_MS
      if (stale) refreshing ??= refresh().finally(() => (refreshing = null))
      void (stale ? refreshing! : Promise.resolve()).then(async () => {
        if (subscribed.tenants.has(tenantId)) await storage.redis.zadd(keys(prefix).watch, Date.now(), `${tenantId} ${conversationId}`)
      }).catch((e: Error) => log.warn('webhook watch failed', { error: e }))
    },
  }
}

// Take or keep the lease in one step: only its holder extends it.
const LEAD = `local v = redis.call('GET', KEYS[1])
if v == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) return 1 end
if not v then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) return 1 end
return 0`

export function startWebhookRelay(deps: RelayDeps): { close(): Promise<void> } {
  const k = keys(deps.prefix)
  const redis: Redis = deps.storage.redis
  const followed = new Map<string, { sub: EventSubscription; chain: Promise<void> }>()
  const syncMs = deps.syncMs ?? 1000

  function follow(member: string, cursor: string): void {
    const [tenantId = '', conversationId = ''] = member.split(' ')
    const entry = { sub: undefined as unknown as EventSubscription, chain: Promise.resolve() }
    entry.sub = deps.hub.subscribe(conversationId, cursor, (entries) => {
      entry.chain = entry.chain
        .then(() => relayEntries(deps, tenantId, conversationId, entries))
        .then(() => redis.hset(k.cursors, member, entries[entries.length - 1]!.cursor).then(() => {}))
        .catch((e: Error) => deps.log.error('webhook relay failed', { conversationId, error: e }))
    })
    followed.set(member, entry)
  }

  function unfollowAll(members: Iterable<string>): void {
    for (const member of members) {
      followed.get(member)?.sub.close()
      followed.delete(member)
    }
  }

  async function sync(): Promise<void> {
    const leading = Number(await redis.eval(LEAD, 1, k.leader, deps.workerId, syncMs * 3)) === 1
    if (!leading) return unfollowAll([...followed.keys()])
    const horizon = Date.now() - (deps.watchTtlMs ?? 3_600_000)
    const expired = await redis.zrangebyscore(k.watch, '-inf', `(${horizon}`)
    if (expired.length > 0) await redis.multi().zrem(k.watch, ...expired).hdel(k.cursors, ...expired).exec()
    unfollowAll(expired)
    const members = (await redis.zrangebyscore(k.watch, horizon, '+inf')).filter((m) => !followed.has(m))
    const cursors = members.length > 0 ? await redis.hmget(k.cursors, ...members) : []
    members.forEach((m, i) => follow(m, cursors[i] ?? '0'))
  }

  const tick = () => void sync().catch((e: Error) => deps.log.warn('webhook relay sync failed', { error: e }))
  const timer = setInterval(tick, syncMs)
  tick()
  return {
    async close() {
      clearInterval(timer)
      const pending = [...followed.values()].map((f) => f.chain)
      unfollowAll([...followed.keys()])
      await Promise.all(pending)
      await redis.eval(`if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end`, 1, k.leader, deps.workerId).catch(() => {})
    },
  }
}

async function relayEntries(deps: RelayDeps, tenantId: string, conversationId: string, entries: StreamEntry[]): Promise<void> {
  const conversation = await deps.storage.chat.get(tenantId, conversationId)
  if (!conversation) return
  for (const { cursor, event } of entries) {
    for (const sub of await deps.storage.webhooks.matching(tenantId, event.type)) {
      const id = `${sub.id}.${event.type}.${event.id}`
      const payload = {
        id, type: event.type, eventId: event.id, cursor, occurredAt: new Date(event.at).toISOString(), tenantId,
        conversation: { id: conversationId, channel: conversation.channel, externalId: conversation.externalId },
        data: event.data,
      }
      await deps.storage.webhooks.enqueue({ id, subscriptionId: sub.id, tenantId, conversationId, eventType: event.type, payload })
      await deps.queue.enqueue(id)
    }
  }
}
