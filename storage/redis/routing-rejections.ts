// What each worker refuses of the RoutingPolicy versions in the store, for the API to show on the resource. Runtime
// state, so Redis: one hash field per worker, rewritten while its refusals last; a field whose worker stopped
// rewriting it (gone, or fixed and restarted under another id) counts for nothing once its time is up.
import type Redis from 'ioredis'
import type { RoutingRejection, WorkerRejection } from '../../lib/routing-rejection.ts'

interface Report {
  at: number
  until: number
  rejections: RoutingRejection[]
}

// Each field carries its own deadline; the key only has to outlive the fields still standing.
const KEY_TTL_S = 86_400

export function createRoutingRejections(redis: Redis, prefix: string) {
  const key = `${prefix}:routing-policy-rejections`
  return {
    /** Replaces what `worker` refuses; it stands for `ttlMs` unless reported again. None clears the worker's field. */
    async report(worker: string, rejections: RoutingRejection[], ttlMs: number): Promise<void> {
      if (rejections.length === 0) return void (await redis.hdel(key, worker))
      const at = Date.now()
      const report: Report = { at, until: at + ttlMs, rejections }
      await redis.multi().hset(key, worker, JSON.stringify(report)).expire(key, Math.max(KEY_TTL_S, Math.ceil(ttlMs / 1000))).exec()
    },
    /** The refusals standing now, of one policy or all, by worker name. */
    async read(name?: string): Promise<WorkerRejection[]> {
      const now = Date.now()
      const all = Object.entries(await redis.hgetall(key)).map(([worker, v]) => ({ worker, report: JSON.parse(v) as Report }))
      return all.filter(({ report }) => report.until >= now).sort((a, b) => a.worker.localeCompare(b.worker))
        .flatMap(({ worker, report }) => report.rejections.map((r) => ({ ...r, worker, at: new Date(report.at).toISOString() })))
        .filter((r) => name === undefined || r.name === name)
    },
  }
}
export type RoutingRejections = ReturnType<typeof createRoutingRejections>
