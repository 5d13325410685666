// bench:runtime: conversations through the real runtime (one worker process, instant provider) against
// plain BullMQ throughput on the same Redis in the same run. Usage: bun bench/runtime.ts [conversations]
// The instant provider (`echo`) is built in, so it answers in the conversation's own process as `local` does; a
// vendor's model call adds its provider queue's hop (bench:providers measures that path).
// Up to 10,000 conversations, each gets 3 turns through the runtime first (the throughput figure and its ratio to
// plain BullMQ); above that, each conversation's earlier turn is written to Postgres directly (300,000 turns would
// outlast any run on this machine), so every later message still meets a conversation with a history.
// Both sides are measured warmed up: plain BullMQ runs twice and its second run is the baseline; when every
// conversation fits in the worker's active actors (1,000), the same traffic first goes to as many conversations of its
// own, so the measured pass does not pay for the process's JIT. Those first passes print as `first_*`.
// A phase's turns/s runs from its first message sent to its last reply written, both on Postgres' clock.
// Latency is measured open loop at half the peak rate of the same traffic: messages round robin over all the
// conversations, one per conversation at a time. The peak is that traffic sent unpaced, so when there are more
// conversations than a worker keeps active, both the peak and the latency are those of cold turns (each message
// meets a passive actor). BENCH_LATENCY_RATE=<turns/s> probes another point of the curve.
// Worker CPU per turn and added latency are printed warm (mail to 200 active actors, at the same rate) and cold (the
// latency phase, when every message meets a passive actor): their difference is what activation costs. Each phase also
// prints the CPU per turn of the worker, Postgres, Redis and this script, how busy the machine was and the share other
// processes took: on a shared machine the latency bars measure the machine's load as much as the runtime.
// It also prints how far apart the slowest 1% of cold turns were accepted: a few hundred ms means one stall made the
// p99 (on this machine, a full collection of the worker's heap), several seconds means the tail is spread.
import { Queue, Worker } from 'bullmq'
import Redis from 'ioredis'
import { spawnSwitchboard } from '../test/support/processes.ts'
import { createSender, turn } from '../test/support/traffic.ts'
import {
  cpuSnapshot, createBenchEnv, databaseUrl, deleteKeys, machineShare, percentile, progress, redisUrl, round, rssMb, type BenchEnv,
  type MachineShare,
} from './support.ts'

const CONVERSATIONS = Number(process.argv[2] ?? 1000)
const TURNS_PER_CONVERSATION = 3
// Above this many conversations the earlier turns are seeded in Postgres instead of run through the runtime.
const THROUGHPUT_MAX_CONVERSATIONS = 10_000
const RAW_JOBS = 20_000
const LATENCY_SECONDS = 10
// Messages of the unpaced peak phase: one to each conversation, at most this many.
const PEAK_MESSAGES = 3000
// The worker's default cap on active actors: above it, the round robin meets only passive actors.
const MAX_ACTIVE = 1000
const WARM_CONVERSATIONS = 200
// The worker's memory limit in its pod (k8s/base/worker.yaml). In a pod Bun sizes JSC's heap pacing by the cgroup's
// limit (forceRAMSize, oven-sh/bun#5849); here, with no limit, it would pace it by the host's RAM and let the heap grow
// to three or four times its live size between collections, which is not what a deployed worker does.
const WORKER_MEMORY_LIMIT = 1024 * 1024 * 1024

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

/** Where a phase's messages start: every earlier message is committed (the phase before waited for its replies). */
async function lastSeq(env: BenchEnv): Promise<number> {
  const [row] = await env.sql<{ seq: string | null }[]>`select max(seq) as seq from messages`
  return Number(row?.seq ?? 0)
}

// Counts the phase's replies only, through the sequence index: a count over every message would cost Postgres more
// CPU than the turns it waits for at 10,000 conversations, and that CPU would be billed to the runtime.
async function waitForReplies(env: BenchEnv, since: number, total: number, onTick: () => void): Promise<void> {
  for (;;) {
    const [row] = await env.sql<{ n: number }[]>`select count(*)::int as n from messages where seq > ${since} and role = 'assistant'`
    onTick()
    if ((row?.n ?? 0) >= total) return
    progress(`  replies ${row?.n}/${total}`)
    await Bun.sleep(250)
  }
}

/** Postgres' clock, which stamps each reply's `created_at`: a phase's start and end on one clock. */
async function databaseClock(env: BenchEnv): Promise<Date> {
  const [row] = await env.sql<{ now: Date }[]>`select clock_timestamp() as now`
  return row!.now
}

// A phase ends when its last reply was written, not when a poll saw it: polls 250 ms apart would add up to a quarter
// of a second to a phase that lasts about one (1,000 messages at the peak).
async function secondsToLastReply(env: BenchEnv, since: number, started: Date): Promise<number> {
  const [row] = await env.sql<{ last: Date }[]>`select max(created_at) as last from messages where seq > ${since} and role = 'assistant'`
  return (row!.last.getTime() - started.getTime()) / 1000
}

async function main(): Promise<void> {
  const env = await createBenchEnv('runtime')
  const redis = new Redis(redisUrl())
  // Twice, like the runtime's traffic below: the first run pays for this process's JIT, the second is measured.
  progress(`raw BullMQ baseline: ${RAW_JOBS} jobs, twice…`)
  const rawFirstRate = await rawBullmqJobsPerSecond(env.prefix)
  const rawRate = await rawBullmqJobsPerSecond(env.prefix)
  progress(`  ${round(rawFirstRate)} jobs/s, then ${round(rawRate)} jobs/s`)

  const ids = Array.from({ length: CONVERSATIONS }, (_, i) => `bench-${i}`)
  const throughputRun = CONVERSATIONS <= THROUGHPUT_MAX_CONVERSATIONS
  if (!throughputRun) await seedHistories(env, ids)
  const worker = spawnSwitchboard('worker', {
    QUEUE_PREFIX: env.prefix, DATABASE_SCHEMA: env.schema, REDIS_URL: redisUrl(), DATABASE_URL: databaseUrl(), AGENT_PROVIDER: 'echo', METRICS_PORT: '0',
    BUN_JSC_forceRAMSize: String(WORKER_MEMORY_LIMIT),
  })
  // A loaded machine can take longer than the default 15 s to apply the demo resources and seed the retail database.
  await worker.waitForLog('switchboard started', 60_000)
  const sender = createSender(env.prefix)
  let peakRss = 0
  const sampleRss = () => (peakRss = Math.max(peakRss, rssMb(worker.proc.pid)))
  let turnsPerSecond: number | undefined
  let firstTurnsPerSecond: number | undefined
  if (throughputRun) {
    // A process's first traffic pays for its JIT compiling the turn path on the same two cores. When every
    // conversation fits in one worker's active actors, that first pass is over conversations of its own, and the
    // measured pass (new conversations too) meets a warmed-up process, as the baseline's second run does.
    if (CONVERSATIONS <= MAX_ACTIVE) {
      firstTurnsPerSecond = await throughput(env, sender, ids.map((c) => `${c}-first`), 'first traffic after start', sampleRss)
    }
    turnsPerSecond = await throughput(env, sender, ids, firstTurnsPerSecond === undefined ? 'throughput' : 'throughput, warmed up', sampleRss)
    progress(`  worker RSS peak ${round(peakRss)} MB`)
  }

  // One cursor walks the conversations round robin through the peak and latency phases: each message goes to the
  // conversation visited longest ago, which is passive whenever there are more conversations than active actors.
  let cursor = 0
  const next = () => ids[cursor++ % ids.length]!
  const cold = CONVERSATIONS > MAX_ACTIVE
  const peakCount = Math.min(CONVERSATIONS, PEAK_MESSAGES)
  progress(`peak: ${peakCount} messages round robin, unpaced (${cold ? 'cold' : 'warm'} turns)…`)
  const peakSince = await lastSeq(env)
  const peakStarted = await databaseClock(env)
  await Promise.all(Array.from({ length: peakCount }, next).map((c, i) => sender.mailbox.send(turn(c, `${c}-peak${i}`, 'peak'))))
  await waitForReplies(env, peakSince, peakCount, sampleRss)
  const peakRate = peakCount / (await secondsToLastReply(env, peakSince, peakStarted))
  progress(`  ${round(peakRate)} turns/s`)

  const latencyRate = Number(process.env.BENCH_LATENCY_RATE ?? peakRate / 2)
  // The worker, Postgres, Redis and this script: what a turn costs the machine, cold and warm.
  const own = { worker: worker.proc.pid, postgres: 'postgres', redis: 'redis-server', script: process.pid }
  let before = cpuSnapshot(own)
  const latency = await measureLatency(env, sender, next, latencyRate, 'lat', sampleRss)
  const latencies = latency.sorted
  const coldShare = machineShare(before, cpuSnapshot(own), latencies.length)
  progress(`latency at ${round(latencyRate)} turns/s: p50 ${round(percentile(latencies, 50))} ms, p99 ${round(percentile(latencies, 99))} ms; ` +
    `the slowest 1% were accepted within ${latency.slowestWithinMs} ms`)
  progress(`  ${describeShare(coldShare)}`)
  // Warm: the conversations the latency phase visited last are still active.
  const warmIds = Array.from({ length: Math.min(WARM_CONVERSATIONS, ids.length) }, (_, k) => ids[(((cursor - 1 - k) % ids.length) + ids.length) % ids.length]!)
  let w = 0
  before = cpuSnapshot(own)
  const warmTurns = (await measureLatency(env, sender, () => warmIds[w++ % warmIds.length]!, latencyRate, 'warm', sampleRss)).sorted
  const warmShare = machineShare(before, cpuSnapshot(own), warmTurns.length)
  const warm = warmShare.perTurn.worker!
  const coldCpu = cold ? coldShare.perTurn.worker! : undefined
  progress(`warm turns at the same rate: p50 ${round(percentile(warmTurns, 50))} ms, p99 ${round(percentile(warmTurns, 99))} ms`)
  progress(`  ${describeShare(warmShare)}`)
  progress(`worker CPU per turn: warm ${round(warm)} ms${coldCpu === undefined ? '' : `, cold ${round(coldCpu)} ms (${round(coldCpu / warm)}x)`}`)

  worker.kill('SIGTERM')
  await worker.proc.exited
  await sender.close()
  await deleteKeys(env.prefix, redis)
  redis.disconnect()
  await env.cleanup()
  console.log(JSON.stringify({
    bench: 'runtime', conversations: CONVERSATIONS, turns_per_s: turnsPerSecond === undefined ? null : round(turnsPerSecond),
    raw_jobs_per_s: round(rawRate), ratio: turnsPerSecond === undefined ? null : round(turnsPerSecond / rawRate, 3),
    first_turns_per_s: firstTurnsPerSecond === undefined ? null : round(firstTurnsPerSecond), raw_first_jobs_per_s: round(rawFirstRate),
    first_ratio: firstTurnsPerSecond === undefined ? null : round(firstTurnsPerSecond / rawFirstRate, 3),
    peak_turns_per_s: round(peakRate), peak_path: cold ? 'cold' : 'warm', latency_rate: round(latencyRate),
    added_p50_ms: round(percentile(latencies, 50)), added_p99_ms: round(percentile(latencies, 99)), slowest_1pct_within_ms: latency.slowestWithinMs,
    worker_rss_mb: round(peakRss, 1),
    warm_p50_ms: round(percentile(warmTurns, 50)), warm_p99_ms: round(percentile(warmTurns, 99)),
    machine_busy_pct: Math.round(coldShare.busyPct), others_cpu_pct: Math.round(coldShare.othersPct),
    cpu_ms_per_turn: { cold: roundAll(coldShare.perTurn), warm: roundAll(warmShare.perTurn) },
    cpu_ms_per_warm_turn: round(warm), cpu_ms_per_cold_turn: coldCpu === undefined ? null : round(coldCpu),
  }))
}

/** Sends TURNS_PER_CONVERSATION turns to each of `ids`, round after round, and waits for every reply: turns/s. */
async function throughput(env: BenchEnv, sender: ReturnType<typeof createSender>, ids: string[], label: string, onTick: () => void): Promise<number> {
  const total = ids.length * TURNS_PER_CONVERSATION
  progress(`${label}: ${ids.length} conversations x ${TURNS_PER_CONVERSATION} turns…`)
  const since = await lastSeq(env)
  const started = await databaseClock(env)
  for (let t = 0; t < TURNS_PER_CONVERSATION; t++) {
    for (let i = 0; i < ids.length; i += 200) {
      await Promise.all(ids.slice(i, i + 200).map((c) => sender.mailbox.send(turn(c, `${c}-t${t}`, `turn ${t}`))))
    }
  }
  await waitForReplies(env, since, total, onTick)
  const rate = total / (await secondsToLastReply(env, since, started))
  progress(`  ${round(rate)} turns/s`)
  return rate
}

function describeShare(share: MachineShare): string {
  const parts = Object.entries(share.perTurn).map(([label, ms]) => `${label} ${round(ms)}`).join(', ')
  return `CPU per turn (ms): ${parts}; machine ${Math.round(share.busyPct)}% busy, other processes ${Math.round(share.othersPct)}% of a core`
}

const roundAll = (values: Record<string, number>) => Object.fromEntries(Object.entries(values).map(([k, v]) => [k, round(v)]))

/** One earlier turn per conversation (the customer's message, the reply, its checkpoint), written in three statements. */
async function seedHistories(env: BenchEnv, ids: string[]): Promise<void> {
  progress(`seeding ${ids.length} conversations with one earlier turn each…`)
  await env.sql`insert into conversations (id) select unnest(${ids}::text[])`
  await env.sql`insert into messages (id, conversation_id, role, text, created_at)
    select id || '-t0', id, 'customer', 'where is my order?', now() - interval '2 days' from unnest(${ids}::text[]) id`
  await env.sql`insert into messages (id, conversation_id, role, text, turn_id, created_at)
    select id || '-t0.reply', id, 'assistant', 'It is on its way.', id || '-t0', now() - interval '2 days' from unnest(${ids}::text[]) id`
  await env.sql`insert into turn_steps (turn_id, step, result)
    select id || '-t0', 'reply', jsonb_build_object('id', id || '-t0.reply', 'text', 'It is on its way.', 'escalated', false)
    from unnest(${ids}::text[]) id`
}

interface Latencies {
  /** Accepted (send resolved) → reply stored, ms, ascending. */
  sorted: number[]
  /** How far apart the slowest 1% of turns were accepted, ms: short when one stall made the p99, long when it is spread. */
  slowestWithinMs: number
}

/** Open loop at `rate` turns/s to the conversations `next` names. */
async function measureLatency(
  env: BenchEnv, sender: ReturnType<typeof createSender>, next: () => string, rate: number, tag: string, onTick: () => void,
): Promise<Latencies> {
  const count = Math.max(50, Math.floor(rate * LATENCY_SECONDS))
  const since = await lastSeq(env)
  const accepted = new Map<string, number>()
  const intervalMs = 1000 / rate
  const start = performance.now()
  const sends: Promise<void>[] = []
  for (let i = 0; i < count; i++) {
    const due = start + i * intervalMs
    const wait = due - performance.now()
    if (wait > 1) await Bun.sleep(wait)
    const c = next()
    const id = `${c}-${tag}${i}`
    sends.push(sender.mailbox.send(turn(c, id, 'latency')).then(() => void accepted.set(id, Date.now())))
  }
  await Promise.all(sends)
  await waitForReplies(env, since, count, onTick)
  const rows = await env.sql<{ turnId: string; at: Date }[]>`select turn_id as "turnId", created_at as at from messages
    where seq > ${since} and role = 'assistant'`
  const turns = rows.map((r) => ({ at: accepted.get(r.turnId)!, ms: r.at.getTime() - accepted.get(r.turnId)! })).sort((a, b) => a.ms - b.ms)
  const slowest = turns.slice(turns.length - Math.max(1, Math.floor(turns.length / 100))).map((t) => t.at)
  return { sorted: turns.map((t) => t.ms), slowestWithinMs: Math.max(...slowest) - Math.min(...slowest) }
}

await main()
