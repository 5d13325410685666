// A unique key prefix per test file, and removal of every key under it afterwards.
import Redis from 'ioredis'

export interface TestRedis {
  url: string
  prefix: string
  client: Redis
  cleanup(): Promise<void>
}

export async function createTestRedis(): Promise<TestRedis> {
  const url = process.env.REDIS_URL!
  const prefix = `t-${crypto.randomUUID().slice(0, 13)}`
  const client = new Redis(url, { maxRetriesPerRequest: null })
  return {
    url,
    prefix,
    client,
    async cleanup() {
      let cursor = '0'
      do {
        const [next, keys] = await client.scan(cursor, 'MATCH', `*${prefix}*`, 'COUNT', 1000)
        cursor = next
        if (keys.length > 0) await client.unlink(...keys)
      } while (cursor !== '0')
      client.disconnect()
    },
  }
}
