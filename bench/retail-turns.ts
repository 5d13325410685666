// Retail turns through a real platform running the offline model: one conversation per customer, each asking for
// an order's status with their email in the first message, all sent at once; the rate is turns answered per second.
// Benchmarks that compare two configurations run this once per configuration, alternating, on the same machine.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Platform } from '../platform.ts'
import { startPlatform } from '../platform.ts'
import { loadConfig } from '../lib/config.ts'
import type { RetailDb } from '../tools/index.ts'
import { createBenchEnv, databaseUrl, progress, redisUrl, round } from './support.ts'

export const BENCH_TENANT = 'bench'
const ROOT = join(import.meta.dir, '..')

export interface RetailCustomer {
  email: string
  order: string
}

/** The first `n` customers of the demo shop, with one of their orders each. */
export function retailCustomers(n: number): RetailCustomer[] {
  const db = JSON.parse(readFileSync(join(ROOT, 'data', 'retail', 'db.json'), 'utf8')) as RetailDb
  return Object.values(db.users).slice(0, n).map((u) => ({ email: (u as { email: string }).email, order: (u as { orders: string[] }).orders[0]! }))
}

/** Runs the customers' turns once on a fresh platform that `configure` has set up; returns turns per second. */
export async function retailTurnsPerSecond(label: string, people: RetailCustomer[], configure: (platform: Platform) => Promise<void>): Promise<number> {
  const env = await createBenchEnv(label.replace(/\W+/g, '_'))
  const config = loadConfig({
    QUEUE_PREFIX: env.prefix, DATABASE_SCHEMA: env.schema, REDIS_URL: redisUrl(), DATABASE_URL: databaseUrl(), PORT: '0', METRICS_PORT: '0',
    LOG_LEVEL: 'error', AGENT_PROVIDER: 'local',
  })
  const platform = await startPlatform(config)
  await configure(platform)
  const started = performance.now()
  await Promise.all(people.map(async (p, i) => {
    const conversationId = `bench-${i}`
    const text = `Where is my order ${p.order}? My email is ${p.email}`
    await platform.storage.conversations.ensure({ id: conversationId, tenantId: BENCH_TENANT, agent: 'demo' })
    const turnId = `${conversationId}-1`
    await platform.storage.messages.append({ id: turnId, conversationId, role: 'customer', text })
    await platform.mailbox.send({ v: 1, id: turnId, kind: 'turn.received', conversationId, sentAt: Date.now(), payload: { text } })
  }))
  for (;;) {
    const [row] = await env.sql<{ n: number }[]>`select count(*)::int as n from messages where role = 'assistant'`
    if (row!.n >= people.length) break
    await Bun.sleep(20)
  }
  const rate = people.length / ((performance.now() - started) / 1000)
  progress(`  ${label}: ${round(rate, 1)} turns/s`)
  await platform.close()
  await env.cleanup()
  return rate
}

/** The tenant's own copy of a platform resource, changed by `change`. */
export async function overrideResource(platform: Platform, kind: 'Agent' | 'AgentPolicy', name: string, change: (spec: Record<string, unknown>) => Record<string, unknown>): Promise<void> {
  const found = await platform.storage.resources.resolve({ tenantId: BENCH_TENANT, kind, name })
  const spec = change({ ...(found!.spec as Record<string, unknown>) })
  await platform.storage.resources.apply({ tenantId: BENCH_TENANT, kind, name, spec: { ...spec, tenant: BENCH_TENANT }, by: 'bench' })
}
