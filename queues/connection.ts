// Redis connections for BullMQ. Workers need maxRetriesPerRequest null so a Redis blip pauses them
// instead of failing jobs.
import Redis from 'ioredis'

export function createRedis(url: string, name: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: null, enableReadyCheck: true, connectionName: name, lazyConnect: false })
}
