// Where a text still sits in Redis: every key under a prefix, read whole whatever its type. Erasure tests
// assert on this rather than on the places they expect the text to be.
import type Redis from 'ioredis'

async function values(redis: Redis, key: string): Promise<string[]> {
  switch (await redis.type(key)) {
    case 'string': return [(await redis.get(key)) ?? '']
    case 'hash': return Object.values(await redis.hgetall(key))
    case 'list': return redis.lrange(key, 0, -1)
    case 'set': return redis.smembers(key)
    case 'zset': return redis.zrange(key, 0, -1)
    case 'stream': return (await redis.xrange(key, '-', '+')).flatMap(([, fields]) => fields)
    default: return []
  }
}

/** The keys under `prefix` whose contents include `text`. */
export async function keysHolding(redis: Redis, prefix: string, text: string): Promise<string[]> {
  const found: string[] = []
  let cursor = '0'
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000)
    cursor = next
    for (const key of keys) if ((await values(redis, key)).some((v) => v.includes(text))) found.push(key)
  } while (cursor !== '0')
  return found.sort()
}
