// The retention job: applies the policies to every tier, idempotently. Hot TTLs are shortened to the policy,
// conversations past warm are archived (or purged when cold is 0), archives past cold are purged, and
// Idempotency-Key records past their window are dropped (their stored responses hold customer data).
import type Redis from 'ioredis'
import type { Archiver } from '../archive/archiver.ts'
import type { Sql } from '../postgres/client.ts'
import type { Idempotency } from '../postgres/idempotency.ts'
import type { Purger } from '../privacy/purge.ts'
import type { HotSessions } from '../redis/hot-sessions.ts'
import type { RetentionResolver } from './retention-policy.ts'
import { archivedBefore, inactiveWarm, type RetentionCandidate } from './retention-sql.ts'

export interface RetentionDeps {
  sql: Sql
  hot: Pick<HotSessions, 'clampTtls'>
  archiver: Pick<Archiver, 'archive'>
  purge: Purger
  resolver: RetentionResolver
  idempotency: Pick<Idempotency, 'purge'>
}

export interface RetentionReport {
  hotClamped: number
  archived: number
  /** Archiving skipped because the conversation became active meanwhile. */
  changed: number
  purgedWarm: number
  purgedCold: number
  idempotencyKeysPurged: number
  /** Conversations whose archiving failed this run (retried next run), with the first errors. */
  failed: number
  errors: string[]
  /** Conversations archived or purged per deciding policy (`name@version`). */
  byPolicy: Record<string, number>
}

const PAGE = 200
const ARCHIVE_CONCURRENCY = 4

export function createRetentionJob(deps: RetentionDeps) {
  const { resolver } = deps
  const decide = (report: RetentionReport, policy: string) => (report.byPolicy[policy] = (report.byPolicy[policy] ?? 0) + 1)

  /** Pages through `find` from the shortest span, keeping those past their own policy's span. */
  async function* due(find: typeof inactiveWarm, span: 'warmMs' | 'coldMs', now: Date) {
    const shortest = resolver.shortest()[span]
    if (shortest === undefined) return
    let after = ''
    for (;;) {
      const page = await find(deps.sql, new Date(now.getTime() - shortest), after, PAGE)
      if (page.length === 0) return
      after = page.at(-1)!.id
      yield page.filter((c) => {
        const ms = resolver.resolve(c.tenantId, c.agent)[span]
        return ms !== undefined && c.since.getTime() < now.getTime() - ms
      })
    }
  }

  async function expireWarm(now: Date, report: RetentionReport): Promise<void> {
    for await (const page of due(inactiveWarm, 'warmMs', now)) {
      const purgeNow = page.filter((c) => resolver.resolve(c.tenantId, c.agent).coldMs === 0)
      report.purgedWarm += (await deps.purge(purgeNow.map((c) => c.id))).conversations
      purgeNow.forEach((c) => decide(report, resolver.resolve(c.tenantId, c.agent).policy))
      const toArchive = page.filter((c) => !purgeNow.includes(c))
      await forEachLimit(toArchive, ARCHIVE_CONCURRENCY, async (c: RetentionCandidate) => {
        const outcome = await deps.archiver.archive(c.id).catch((e: Error) => {
          report.failed++
          if (report.errors.length < 10) report.errors.push(`${c.id}: ${e.message}`)
          return 'failed' as const
        })
        if (outcome === 'archived') (report.archived++, decide(report, resolver.resolve(c.tenantId, c.agent).policy))
        if (outcome === 'changed') report.changed++
      })
    }
  }

  async function expireCold(now: Date, report: RetentionReport): Promise<void> {
    for await (const page of due(archivedBefore, 'coldMs', now)) {
      report.purgedCold += (await deps.purge(page.map((c) => c.id))).conversations
      page.forEach((c) => decide(report, resolver.resolve(c.tenantId, c.agent).policy))
    }
  }

  return {
    /** One pass over every tier. Safe to rerun and to run after a crash: each step only finds what is left. */
    async runOnce(now = new Date()): Promise<RetentionReport> {
      const report: RetentionReport = {
        hotClamped: 0, archived: 0, changed: 0, purgedWarm: 0, purgedCold: 0, idempotencyKeysPurged: 0, failed: 0, errors: [], byPolicy: {},
      }
      report.hotClamped = await deps.hot.clampTtls((meta) => resolver.resolve(meta.tenantId, meta.agent).hotTtlMs)
      await expireWarm(now, report)
      await expireCold(now, report)
      report.idempotencyKeysPurged = await deps.idempotency.purge(now)
      return report
    },
  }
}
export type RetentionJob = ReturnType<typeof createRetentionJob>

async function forEachLimit<T>(items: T[], limit: number, run: (item: T) => Promise<void>): Promise<void> {
  let next = 0
  const lane = async () => {
    while (next < items.length) await run(items[next++]!)
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane))
}

/**
 * Runs the job every `intervalMs` on whichever process takes the Redis lock first, so several workers
 * never run it at once. Failures are logged and retried at the next tick.
 */
export function scheduleRetention(job: RetentionJob, options: { redis: Redis; lockKey: string; owner: string; intervalMs: number; onError: (e: unknown) => void; onReport?: (r: RetentionReport) => void }) {
  const tick = async () => {
    const locked = await options.redis.set(options.lockKey, options.owner, 'PX', options.intervalMs, 'NX')
    if (locked !== 'OK') return
    options.onReport?.(await job.runOnce())
  }
  const timer = setInterval(() => void tick().catch(options.onError), options.intervalMs)
  return { close: async () => clearInterval(timer) }
}
