// Shared pieces of the benchmarks: an isolated prefix and schema, percentiles, and the final JSON line.
import { readdirSync, readFileSync } from 'node:fs'
import type { Sql } from '../storage/index.ts'
import { createTestDatabase } from '../test/support/postgres.ts'
import { markRedisEpoch } from '../queues/index.ts'
import Redis from 'ioredis'

export interface BenchEnv {
  prefix: string
  schema: string
  sql: Sql
  cleanup(): Promise<void>
}

export async function createBenchEnv(name: string): Promise<BenchEnv> {
  const db = await createTestDatabase({ url: databaseUrl(), schemaPrefix: `bench_${name}` })
  const prefix = `bench-${name}-${db.schema.slice(-8)}`
  // The prefix starts empty on purpose: without its epoch a worker would take it for a Redis that lost its data and,
  // a moment after starting, mail every message the benchmark has in flight again (recovery.ts).
  const redis = new Redis(redisUrl())
  await markRedisEpoch(redis, prefix)
  redis.disconnect()
  return { prefix, schema: db.schema, sql: db.sql, cleanup: db.drop }
}

export const redisUrl = () => process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'
export const databaseUrl = () => process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!
}

export const round = (n: number, digits = 2) => Number(n.toFixed(digits))

/** Progress goes to stderr so the last stdout line stays the machine-readable result. */
export function progress(text: string): void {
  process.stderr.write(`${text}\n`)
}

export async function deleteKeys(prefix: string, redis: { scan: Function; unlink: Function }): Promise<void> {
  let cursor = '0'
  do {
    const [next, keys] = (await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 5000)) as [string, string[]]
    cursor = next
    if (keys.length > 0) await redis.unlink(...keys)
  } while (cursor !== '0')
}

/** CPU time (user + system) a process used so far, in ms (/proc reports clock ticks of 10 ms). */
export function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
  return (Number(fields[11]) + Number(fields[12])) * 10
}

export function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024
}

export interface CpuSnapshot {
  at: number
  /** Busy time of all cores so far, ms. */
  busy: number
  cores: number
  /** CPU time so far of each of the benchmark's own processes (by label), ms. */
  own: Record<string, number>
}

/**
 * The whole machine's CPU beside that of the benchmark's own processes, each named by its pid or by its command name
 * (every process of that name, such as Postgres's backends), so a run can say where a turn's CPU went and whether
 * something else shared the machine.
 */
export function cpuSnapshot(own: Record<string, number | string>): CpuSnapshot {
  const stat = readFileSync('/proc/stat', 'utf8').split('\n')
  // user nice system idle iowait irq softirq steal, in clock ticks of 10 ms
  const ticks = stat[0]!.trim().split(/\s+/).slice(1, 9).map(Number)
  const busy = (ticks.reduce((a, b) => a + b, 0) - ticks[3]! - ticks[4]!) * 10
  const cores = stat.filter((l) => /^cpu\d/.test(l)).length
  const labels = Object.entries(own)
  const used: Record<string, number> = Object.fromEntries(labels.map(([label]) => [label, 0]))
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const text = readFileSync(`/proc/${entry}/stat`, 'utf8')
      const name = text.slice(text.indexOf('(') + 1, text.lastIndexOf(')'))
      const label = labels.find(([, key]) => key === Number(entry) || key === name)?.[0]
      if (label) used[label]! += cpuMs(Number(entry))
    } catch {
      // the process ended between the listing and the read
    }
  }
  return { at: performance.now(), busy, cores, own: used }
}

export interface MachineShare {
  /** How busy the machine was, % of all its cores. */
  busyPct: number
  /** What processes other than the benchmark's took, % of one core. */
  othersPct: number
  /** CPU per turn of each of the benchmark's processes, ms. */
  perTurn: Record<string, number>
}

export function machineShare(from: CpuSnapshot, to: CpuSnapshot, turns: number): MachineShare {
  const elapsed = to.at - from.at
  const busy = to.busy - from.busy
  const own = Object.fromEntries(Object.keys(to.own).map((label) => [label, to.own[label]! - (from.own[label] ?? 0)]))
  const ownTotal = Object.values(own).reduce((a, b) => a + b, 0)
  return {
    busyPct: (100 * busy) / (elapsed * to.cores),
    othersPct: (100 * Math.max(0, busy - ownTotal)) / elapsed,
    perTurn: Object.fromEntries(Object.entries(own).map(([label, ms]) => [label, ms / turns])),
  }
}
