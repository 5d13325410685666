// Shared pieces of the benchmarks: an isolated prefix and schema, percentiles, and the final JSON line.
import { readFileSync } from 'node:fs'
import type { Sql } from '../storage/index.ts'
import { createTestDatabase } from '../test/support/postgres.ts'

export interface BenchEnv {
  prefix: string
  schema: string
  sql: Sql
  cleanup(): Promise<void>
}

export async function createBenchEnv(name: string): Promise<BenchEnv> {
  const db = await createTestDatabase({ url: databaseUrl(), schemaPrefix: `bench_${name}` })
  return { prefix: `bench-${name}-${db.schema.slice(-8)}`, schema: db.schema, sql: db.sql, cleanup: db.drop }
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
