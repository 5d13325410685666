// The ticket producer: lets any Node or Bun service push tickets straight into Switchboard's queues, with the
// webhook's own validation, ids and storage, and no HTTP hop.
import { systemClock } from '../../lib/clock.ts'
import { createLeases, createMailbox, createRedis } from '../../queues/index.ts'
import { createSql, createStorage } from '../../storage/index.ts'
import { normalizeTicket, type TicketSource } from './adapters.ts'
import { ingestTicket, type TicketIngested } from './ingest.ts'

export interface TicketProducerOptions {
  tenantId: string
  /** @defaultValue 'redis://127.0.0.1:6379' */
  redisUrl?: string
  /** @defaultValue 'postgres://postgres@127.0.0.1:5432/test' */
  databaseUrl?: string
  /** Postgres schema of the deployment. @defaultValue 'public' */
  schema?: string
  /** Queue prefix of the deployment. @defaultValue 'switchboard' */
  prefix?: string
}

export interface TicketProducer {
  /** Validates the payload of `source` and enqueues it; throws `request.invalid` with details when it is bad. */
  submit(payload: unknown, source?: TicketSource): Promise<TicketIngested>
  close(): Promise<void>
}

/**
 * @example
 * const producer = createTicketProducer({ tenantId: 'acme', redisUrl, databaseUrl })
 * await producer.submit({ event: 'ticket.created', ticket: { id: '42' }, comment: { id: 'c1', body: 'Where is my order?' } })
 */
export function createTicketProducer(options: TicketProducerOptions): TicketProducer {
  const prefix = options.prefix ?? 'switchboard'
  const redis = createRedis(options.redisUrl ?? 'redis://127.0.0.1:6379', 'switchboard-ticket-producer')
  const sql = createSql({ url: options.databaseUrl ?? 'postgres://postgres@127.0.0.1:5432/test', schema: options.schema ?? 'public', maxConnections: 4 })
  const mailbox = createMailbox(redis, prefix, createLeases(redis, prefix, 'ticket-producer', 1000))
  const inbox = { storage: createStorage(sql, redis, prefix), mailbox, clock: systemClock }
  return {
    async submit(payload, source = 'generic') {
      return ingestTicket(inbox, options.tenantId, source, normalizeTicket(source, payload))
    },
    async close() {
      await mailbox.close()
      redis.disconnect()
      await sql.end()
    },
  }
}
