// Redis for the storage tiers (hot sessions, reply streams, request budgets): commands fail fast rather than queue
// forever, and connection errors are logged, never thrown as unhandled events.
import Redis from 'ioredis'
import { logRedisErrors } from '../../lib/redis-errors.ts'
import '../../lib/tracing-channels.ts'

export function createRedisClient(url: string, name = 'switchboard-storage'): Redis {
  const client = new Redis(url, { connectionName: name, maxRetriesPerRequest: 3, enableAutoPipelining: true })
  logRedisErrors(client, name)
  return client
}
export type { Redis }
