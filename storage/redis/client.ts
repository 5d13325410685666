// Redis for the storage tiers (hot sessions, reply streams): commands fail fast rather than queue forever.
import Redis from 'ioredis'

export function createRedisClient(url: string, name = 'switchboard-storage'): Redis {
  return new Redis(url, { connectionName: name, maxRetriesPerRequest: 3, enableAutoPipelining: true })
}
export type { Redis }
