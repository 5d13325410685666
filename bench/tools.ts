// bench:tools: tool calls through the tool pool (a BullMQ hop) against the retail backend, next to the
// same calls made in-process (the baseline), in one run. READ = get_order_details, WRITE = modify_user_address.
// Usage: bun bench/tools.ts [calls per kind]
import Redis from 'ioredis'
import type { PoolHandlers } from '../actors/index.ts'
import { TerminalError } from '../lib/errors.ts'
import { createLogger } from '../lib/log.ts'
import { createDeadLetter, createPoolClient, createRedis, startPoolWorkers } from '../queues/index.ts'
import { createToolExecutor, createToolRegistry, RETAIL_TOOLS, seedRetail } from '../tools/index.ts'
import { createBenchEnv, deleteKeys, percentile, progress, redisUrl, round } from './support.ts'

const CALLS = Number(process.argv[2] ?? 1000)
// Latency is measured one call at a time; throughput with this many calls in flight.
const CONCURRENCY = 16
const ADDRESS = { address1: '1 Bench Street', address2: 'Suite 2', city: 'Austin', state: 'TX', country: 'USA', zip: '78701' }

type Call = { tool: string; args: Record<string, unknown> }
const read = (_i: number): Call => ({ tool: 'get_order_details', args: { order_id: '#W2378156' } })
// Writes rotate over many customers, so concurrent writes do not queue on one row lock.
const write = (i: number, users: string[]): Call => ({ tool: 'modify_user_address', args: { user_id: users[i % users.length], ...ADDRESS } })

/** Runs `count` calls with CONCURRENCY in flight; returns sorted latencies (ms) and calls/s. */
async function drive(count: number, inFlight: number, run: (i: number) => Promise<void>): Promise<{ latencies: number[]; rate: number }> {
  const latencies: number[] = []
  let next = 0
  const started = performance.now()
  await Promise.all(Array.from({ length: inFlight }, async () => {
    for (let i = next++; i < count; i = next++) {
      const t = performance.now()
      await run(i)
      latencies.push(performance.now() - t)
    }
  }))
  return { latencies: latencies.sort((a, b) => a - b), rate: count / ((performance.now() - started) / 1000) }
}

async function main(): Promise<void> {
  const env = await createBenchEnv('tools')
  await seedRetail(env.sql)
  const executor = createToolExecutor({ registry: createToolRegistry([...RETAIL_TOOLS]), sql: env.sql })
  const redis = createRedis(redisUrl(), 'bench-tools')
  const log = createLogger({ bench: 'tools' })
  const deadLetter = createDeadLetter(redis, env.prefix)
  const refuse = async () => { throw new TerminalError('internal', 'not part of this benchmark') }
  const handlers: PoolHandlers = {
    'tool.invoke': (req) => executor.executeTool({ tool: req.payload.tool, args: req.payload.args, idempotencyKey: req.id }),
    'provider.complete': refuse, 'escalation.open': refuse, 'outreach.send': refuse,
  }
  const concurrency = { provider: 1, tool: CONCURRENCY, escalation: 1, outreach: 1 }
  const workers = startPoolWorkers(redis, { prefix: env.prefix, concurrency, lockDurationMs: 10_000 }, handlers, { deadLetter, log })
  const pools = createPoolClient(redis, redisUrl(), env.prefix)
  const viaPool = (call: Call, id: string) => async () => {
    const res = await pools.call({ v: 1, id, kind: 'tool.invoke', conversationId: 'bench', sentAt: Date.now(), payload: { turnId: 'bench', ...call } })
    if (!res.ok) throw new Error(res.error.message)
  }
  const direct = (call: Call, id: string) => async () => {
    const res = await executor.executeTool({ ...call, idempotencyKey: id })
    if (!res.ok) throw new Error(res.error.message)
  }
  const users = (await env.sql<{ id: string }[]>`select user_id as id from retail_users order by user_id limit 500`).map((r) => r.id)
  const results: Record<string, { latencies: number[]; rate: number }> = {}
  const phases = [['direct', direct, 1], ['pool', viaPool, 1], ['pool_load', viaPool, CONCURRENCY]] as const
  for (const [name, make, inFlight] of phases) {
    for (const [kind, call] of [['read', read], ['write', (i: number) => write(i, users)]] as const) {
      progress(`${name} ${kind}: ${CALLS} calls, ${inFlight} in flight…`)
      const r = await drive(CALLS, inFlight, (i) => make(call(i), `${name}-${kind}-${i}`)())
      results[`${name}_${kind}`] = r
      progress(`  p50 ${round(percentile(r.latencies, 50))} ms, p99 ${round(percentile(r.latencies, 99))} ms, ${round(r.rate)}/s`)
    }
  }
  await workers.close()
  await pools.close()
  await deadLetter.close()
  const cleaner = new Redis(redisUrl())
  await deleteKeys(env.prefix, cleaner)
  cleaner.disconnect()
  redis.disconnect()
  await env.cleanup()
  const p50 = (k: string) => round(percentile(results[k]!.latencies, 50))
  console.log(JSON.stringify({
    bench: 'tools', read_p50_ms: p50('pool_read'), write_p50_ms: p50('pool_write'),
    calls_per_s: round((results.pool_load_read!.rate + results.pool_load_write!.rate) / 2),
    direct_read_p50_ms: p50('direct_read'), direct_write_p50_ms: p50('direct_write'),
    read_p99_ms: round(percentile(results.pool_read!.latencies, 99)), write_p99_ms: round(percentile(results.pool_write!.latencies, 99)),
  }))
}

await main()
