// bench:sessions: appends with hot write-through, then p50 loads from each tier and archiving throughput,
// for conversations of 200 messages. Cold is a real S3-protocol server (s3rver on loopback) unless S3_BUCKET is set.
// Usage: bun bench/sessions.ts [conversations]
import { createRedisClient, createS3BlobStore, createStorage, type S3BlobStore, type Storage, type Tier } from '../storage/index.ts'
import { startS3Server } from '../test/storage/s3-server.ts'
import { createBenchEnv, deleteKeys, percentile, progress, redisUrl, round } from './support.ts'

const CONVERSATIONS = Number(process.argv[2] ?? 100)
const MESSAGES = 200
const LOAD_LIMIT = 50
const ARCHIVE_CONCURRENCY = 4

async function openBlobs(): Promise<{ blobs: S3BlobStore; close(): Promise<void> }> {
  const bucket = process.env.S3_BUCKET
  if (bucket) {
    const blobs = createS3BlobStore({ bucket, region: process.env.S3_REGION ?? 'us-east-1', endpoint: process.env.S3_ENDPOINT, forcePathStyle: true })
    return { blobs, close: () => blobs.close() }
  }
  const server = await startS3Server()
  const blobs = await server.store('bench-sessions')
  return { blobs, close: async () => (await blobs.close(), await server.close()) }
}

/** Every conversation appends turns (customer + assistant) one after another; conversations run concurrently. */
async function appendAll(storage: Storage, ids: string[]): Promise<number> {
  const started = performance.now()
  await Promise.all(ids.map(async (c) => {
    for (let i = 0; i < MESSAGES; i += 2) {
      await storage.sessions.append([
        { id: `${c}-${i}`, conversationId: c, role: 'customer', text: `Where is my order #${i}? It was due last week.` },
        { id: `${c}-${i + 1}`, conversationId: c, role: 'assistant', text: `Order #${i} shipped yesterday; tracking follows by email.`, turnId: `${c}-${i}` },
      ])
    }
  }))
  return (ids.length * MESSAGES) / ((performance.now() - started) / 1000)
}

/** p50 of sequential loads, asserting each came from the expected tier. */
async function loadP50(storage: Storage, ids: string[], tier: Tier, before?: (id: string) => Promise<unknown>): Promise<number> {
  const times: number[] = []
  for (const id of ids) {
    await before?.(id)
    const started = performance.now()
    const load = await storage.sessions.load(id, { limit: LOAD_LIMIT })
    times.push(performance.now() - started)
    if (load.tier !== tier || load.messages.length !== LOAD_LIMIT) throw new Error(`${id}: loaded ${load.messages.length} from ${load.tier}, expected ${tier}`)
  }
  return percentile(times.sort((a, b) => a - b), 50)
}

async function archiveAll(storage: Storage, ids: string[]): Promise<number> {
  const started = performance.now()
  const queue = [...ids]
  await Promise.all(Array.from({ length: ARCHIVE_CONCURRENCY }, async () => {
    for (let id = queue.shift(); id; id = queue.shift()) {
      if ((await storage.archiver.archive(id)) !== 'archived') throw new Error(`${id} was not archived`)
    }
  }))
  return ids.length / ((performance.now() - started) / 1000)
}

async function main(): Promise<void> {
  const env = await createBenchEnv('sessions')
  const redis = createRedisClient(redisUrl(), 'bench-sessions')
  const s3 = await openBlobs()
  const storage = createStorage(env.sql, redis, env.prefix, { blobs: s3.blobs, hotMaxMessages: LOAD_LIMIT })
  const ids = Array.from({ length: CONVERSATIONS }, (_, i) => `bench-${i}`)

  progress(`append: ${CONVERSATIONS} conversations x ${MESSAGES} messages…`)
  const appendPerS = await appendAll(storage, ids)
  progress(`  ${round(appendPerS)} messages/s`)
  const hot = await loadP50(storage, [...ids, ...ids, ...ids], 'hot')
  const warm = await loadP50(storage, ids, 'warm', (id) => storage.sessions.evict([id]))
  progress(`load p50: hot ${round(hot, 3)} ms, warm ${round(warm, 3)} ms`)
  const archivePerS = await archiveAll(storage, ids)
  progress(`archive: ${round(archivePerS)} conversations/s`)
  const cold = await loadP50(storage, ids, 'cold')
  progress(`load p50: cold ${round(cold, 3)} ms`)

  await deleteKeys(env.prefix, redis)
  redis.disconnect()
  await s3.close()
  await env.cleanup()
  console.log(JSON.stringify({
    bench: 'sessions', conversations: CONVERSATIONS, messages_per_conversation: MESSAGES, append_per_s: round(appendPerS),
    load_hot_p50_ms: round(hot, 3), load_warm_p50_ms: round(warm, 3), load_cold_p50_ms: round(cold, 3), archive_per_s: round(archivePerS),
  }))
}

await main()
