// bench:runtime: conversations through the real runtime (one worker process, instant provider) against
// plain BullMQ throughput on the same Redis in the same run. Usage: bun bench/runtime.ts [conversations]
// Latency is measured at half the peak rate; BENCH_LATENCY_RATE=<turns/s> probes another point of the curve.
// Worker CPU per turn is printed warm (mail to 200 active actors) and cold (the latency phase, when there are more
// conversations than one worker keeps active, so every message meets a passive actor).
import { Queue, Worker } from 'bullmq'
import Redis from 'ioredis'
import { readFileSync } from 'node:fs'
import { spawnSwitchboard } from '../test/support/processes.ts'
import { createSender, turn } from '../test/support/traffic.ts'
import { createBenchEnv, databaseUrl, deleteKeys, percentile, progress, redisUrl, round, type BenchEnv } from './support.ts'

const CONVERSATIONS = Number(process.argv[2] ?? 1000)
const TURNS_PER_CONVERSATION = 3
const RAW_JOBS = 20_000
const LATENCY_SECONDS = 5
// The worker's default cap on active actors: above it, the latency phase's round robin meets only passive actors.
const MAX_ACTIVE = 1000
const WARM_CONVERSATIONS = 200

async function rawBullmqJobsPerSecond(prefix: string): Promise<number> {
  const connection = new Redis(redisUrl(), { maxRetriesPerRequest: null })
  const queue = new Queue('raw', { connection, prefix: `${prefix}-raw` })
  let done = 0
  const finished = Promise.withResolvers<void>()
  const worker = new Worker('raw', async () => {
    if (++done === RAW_JOBS) finished.resolve()
  }, { connection, prefix: `${prefix}-raw`, concurrency: 100, removeOnComplete: { count: 0 } })
  await worker.waitUntilReady()
  const started = performance.now()
  for (let i = 0; i < RAW_JOBS; i += 100) {
    await Promise.all(Array.from({ length: 100 }, (_, j) => queue.add('job', { i: i + j }, { removeOnComplete: true })))
  }
  await finished.promise
  const rate = RAW_JOBS / ((performance.now() - started) / 1000)
  await worker.close()
  await queue.obliterate({ force: true })
  await queue.close()
  connection.disconnect()
  return rate
}

/** CPU time (user + system) the process used so far, in ms (/proc reports clock ticks of 10 ms). */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
  return (Number(fields[11]) + Number(fields[12])) * 10
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024
}

async function waitForReplies(env: BenchEnv, total: number, onTick: () => void): Promise<void> {
  for (;;) {
    const [row] = await env.sql<{ n: number }[]>`select count(*)::int as n from messages where role = 'assistant'`
    onTick()
    if ((row?.n ?? 0) >= total) return
    progress(`  replies ${row?.n}/${total}`)
    await Bun.sleep(250)
  }
}

async function main(): Promise<void> {
  const env = await createBenchEnv('runtime')
  const redis = new Redis(redisUrl())
  progress(`raw BullMQ baseline: ${RAW_JOBS} jobs…`)
  const rawRate = await rawBullmqJobsPerSecond(env.prefix)
  progress(`  ${round(rawRate)} jobs/s`)

  const worker = spawnSwitchboard('worker', {
    QUEUE_PREFIX: env.prefix, DATABASE_SCHEMA: env.schema, REDIS_URL: redisUrl(), DATABASE_URL: databaseUrl(), AGENT_PROVIDER: 'echo', METRICS_PORT: '0',
  })
  await worker.waitForLog('switchboard started')
  const sender = createSender(env.prefix)
  const ids = Array.from({ length: CONVERSATIONS }, (_, i) => `bench-${i}`)
  const total = CONVERSATIONS * TURNS_PER_CONVERSATION
  progress(`throughput: ${CONVERSATIONS} conversations x ${TURNS_PER_CONVERSATION} turns…`)
  let peakRss = 0
  const started = performance.now()
  for (let t = 0; t < TURNS_PER_CONVERSATION; t++) {
    for (let i = 0; i < ids.length; i += 200) {
      await Promise.all(ids.slice(i, i + 200).map((c) => sender.mailbox.send(turn(c, `${c}-t${t}`, `turn ${t}`))))
    }
  }
  await waitForReplies(env, total, () => (peakRss = Math.max(peakRss, rssMb(worker.proc.pid))))
  const turnsPerSecond = total / ((performance.now() - started) / 1000)
  progress(`  ${round(turnsPerSecond)} turns/s, worker RSS peak ${round(peakRss)} MB`)

  const latencyRate = Number(process.env.BENCH_LATENCY_RATE ?? turnsPerSecond / 2)
  let cpuBefore = cpuMs(worker.proc.pid)
  const latencies = await measureLatency(env, sender, ids, latencyRate, 'lat', CONVERSATIONS * TURNS_PER_CONVERSATION)
  const cold = CONVERSATIONS > MAX_ACTIVE ? (cpuMs(worker.proc.pid) - cpuBefore) / latencies.length : undefined
  progress(`latency at ${round(latencyRate)} turns/s: p50 ${round(percentile(latencies, 50))} ms, p99 ${round(percentile(latencies, 99))} ms`)
  // Warm: the conversations the latency phase visited last are still active.
  const last = latencies.length - 1
  const warmIds = Array.from({ length: Math.min(WARM_CONVERSATIONS, ids.length) }, (_, k) => ids[(((last - k) % ids.length) + ids.length) % ids.length]!)
  cpuBefore = cpuMs(worker.proc.pid)
  const warmTurns = await measureLatency(env, sender, warmIds, latencyRate, 'warm', CONVERSATIONS * TURNS_PER_CONVERSATION + latencies.length)
  const warm = (cpuMs(worker.proc.pid) - cpuBefore) / warmTurns.length
  progress(`worker CPU per turn: warm ${round(warm)} ms${cold === undefined ? '' : `, cold ${round(cold)} ms (${round(cold / warm)}x)`}`)

  worker.kill('SIGTERM')
  await worker.proc.exited
  await sender.close()
  await deleteKeys(env.prefix, redis)
  redis.disconnect()
  await env.cleanup()
  console.log(JSON.stringify({
    bench: 'runtime', conversations: CONVERSATIONS, turns_per_s: round(turnsPerSecond), raw_jobs_per_s: round(rawRate),
    ratio: round(turnsPerSecond / rawRate, 3), added_p50_ms: round(percentile(latencies, 50)),
    added_p99_ms: round(percentile(latencies, 99)), worker_rss_mb: round(peakRss, 1), cpu_ms_per_warm_turn: round(warm),
    cpu_ms_per_cold_turn: cold === undefined ? null : round(cold),
  }))
}

/** Open loop at `rate` turns/s: accepted (send resolved) → reply stored; `repliedBefore` replies came earlier. */
async function measureLatency(
  env: BenchEnv, sender: ReturnType<typeof createSender>, ids: string[], rate: number, tag: string, repliedBefore: number,
): Promise<number[]> {
  const count = Math.max(50, Math.floor(rate * LATENCY_SECONDS))
  const accepted = new Map<string, number>()
  const intervalMs = 1000 / rate
  const start = performance.now()
  const sends: Promise<void>[] = []
  for (let i = 0; i < count; i++) {
    const due = start + i * intervalMs
    const wait = due - performance.now()
    if (wait > 1) await Bun.sleep(wait)
    const c = ids[i % ids.length]!
    const id = `${c}-${tag}${i}`
    sends.push(sender.mailbox.send(turn(c, id, 'latency')).then(() => void accepted.set(id, Date.now())))
  }
  await Promise.all(sends)
  await waitForReplies(env, repliedBefore + count, () => {})
  const rows = await env.sql<{ turnId: string; at: Date }[]>`select turn_id as "turnId", created_at as at from messages
    where role = 'assistant' and turn_id like ${`%-${tag}%`}`
  return rows.map((r) => r.at.getTime() - accepted.get(r.turnId)!).sort((a, b) => a - b)
}

await main()
