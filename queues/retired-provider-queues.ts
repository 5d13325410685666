// Provider queues of the built-in providers, left by workers from before those providers ran in process. Such a
// queue has no Worker of this version, so its jobs (references to turns, which were redelivered when their callers
// stopped) would stay in Redis for good, beyond the reach of erasure's sweep. Once no worker serves it any more, the
// queue goes whole. While an earlier version's worker still serves it, it is left to that worker.
import { Queue } from 'bullmq'
import type Redis from 'ioredis'
import type { Logger } from '../lib/log.ts'
import { names } from './names.ts'

/** Removes the provider queues of `vendors` that no worker serves; resolves to the names of those removed. */
export async function retireProviderQueues(connection: Redis, prefix: string, vendors: Iterable<string>, log: Logger): Promise<string[]> {
  const retired: string[] = []
  for (const vendor of vendors) {
    const queue = new Queue(names.providerPool(vendor), { connection, prefix, skipVersionCheck: true })
    try {
      const { meta, events, wait, active, delayed, completed, failed } = queue.keys
      if ((await connection.exists(meta!, events!, wait!, active!, delayed!, completed!, failed!)) === 0) continue
      const workers = await queue.getWorkersCount()
      if (workers > 0) {
        log.info('provider queue of a built-in provider is still served by an earlier version; left to it', { queue: queue.name, workers })
        continue
      }
      const jobs = await queue.getJobCounts()
      await queue.obliterate({ force: true })
      retired.push(queue.name)
      log.info('removed the provider queue of a built-in provider, which no worker serves any more', { queue: queue.name, jobs })
    } finally {
      await queue.close()
    }
  }
  return retired
}
