// bench:runtime-trips: what one worker process asks of Redis and Postgres per warm and per cold turn, counted on the
// wire by loopback proxies (bench/wire-counter.ts). Turns go one at a time, each waiting for its reply, so each
// count belongs to one turn; the worker's background traffic (lease renewals, reaping, blocking reads) is counted
// over an idle stretch as long as each phase and taken off. Usage: bun bench/runtime-trips.ts [turns] [--detail]
import { spawnSwitchboard } from '../test/support/processes.ts'
import { createSender, turn } from '../test/support/traffic.ts'
import { cpuMs, createBenchEnv, databaseUrl, deleteKeys, progress, redisUrl, round } from './support.ts'
import { countingProxy, type WireCounter, type WireCounts } from './wire-counter.ts'
import Redis from 'ioredis'

const TURNS = Number(process.argv.find((a) => /^\d+$/.test(a)) ?? 100)
const DETAIL = process.argv.includes('--detail')
// Active actors a worker keeps: cold turns go round robin over more conversations than this.
const MAX_ACTIVE = 20
const WARM_CONVERSATIONS = 10

interface Phase { redis: WireCounts; postgres: WireCounts; ms: number; cpuMs: number }

async function main(): Promise<void> {
  const env = await createBenchEnv('trips')
  const redisProxy = await countingProxy('redis', redisUrl())
  const pgProxy = await countingProxy('postgres', databaseUrl())
  const worker = spawnSwitchboard('worker', {
    QUEUE_PREFIX: env.prefix, DATABASE_SCHEMA: env.schema, REDIS_URL: redisProxy.url, DATABASE_URL: pgProxy.url, AGENT_PROVIDER: 'echo',
    METRICS_PORT: '0', ACTOR_MAX_ACTIVE: String(MAX_ACTIVE),
  })
  await worker.waitForLog('switchboard started')
  const sender = createSender(env.prefix)
  // Waits for the reply by its key (`<turn>.reply`): a count over every message would load Postgres more with
  // each turn, beside the worker being measured.
  const send = async (conversationId: string, id: string) => {
    await sender.mailbox.send(turn(conversationId, id, 'where is my order?'))
    for (;;) {
      const [row] = await env.sql<{ replied: boolean }[]>`select exists (select 1 from messages where id = ${`${id}.reply`}) as replied`
      if (row?.replied) return
      await Bun.sleep(5)
    }
  }
  const measure = async (run: () => Promise<void>): Promise<Phase> => {
    redisProxy.take()
    pgProxy.take()
    const cpu = cpuMs(worker.proc.pid)
    const started = performance.now()
    await run()
    return { ms: performance.now() - started, cpuMs: cpuMs(worker.proc.pid) - cpu, redis: redisProxy.take(), postgres: pgProxy.take() }
  }

  const warmIds = Array.from({ length: WARM_CONVERSATIONS }, (_, i) => `warm-${i}`)
  const coldIds = Array.from({ length: MAX_ACTIVE * 5 }, (_, i) => `cold-${i}`)
  progress('first turns (every conversation gets a history)…')
  for (const c of [...coldIds, ...warmIds]) await send(c, `${c}-first`)
  progress(`warm: ${TURNS} turns to ${WARM_CONVERSATIONS} active conversations…`)
  const warm = await measure(async () => {
    for (let i = 0; i < TURNS; i++) await send(warmIds[i % warmIds.length]!, `warm-t${i}`)
  })
  progress(`cold: ${TURNS} turns round robin over ${coldIds.length} conversations, ${MAX_ACTIVE} active at most…`)
  const cold = await measure(async () => {
    for (let i = 0; i < TURNS; i++) await send(coldIds[i % coldIds.length]!, `cold-t${i}`)
  })
  progress('idle (background traffic)…')
  const idle = await measure(() => Bun.sleep(Math.max(warm.ms, cold.ms)))

  worker.kill('SIGTERM')
  await worker.proc.exited
  await sender.close()
  redisProxy.close()
  pgProxy.close()
  const redis = new Redis(redisUrl())
  await deleteKeys(env.prefix, redis)
  redis.disconnect()
  await env.cleanup()

  const perTurn = (p: Phase) => {
    const share = p.ms / idle.ms
    const trips = (c: WireCounts, i: WireCounts) => round((c.roundTrips - i.roundTrips * share) / TURNS, 1)
    const commands = (c: WireCounts, i: WireCounts) => round((sum(c) - sum(i) * share) / TURNS, 1)
    return {
      redis_round_trips: trips(p.redis, idle.redis), redis_commands: commands(p.redis, idle.redis),
      postgres_round_trips: trips(p.postgres, idle.postgres), postgres_statements: commands(p.postgres, idle.postgres),
      cpu_ms: round(p.cpuMs / TURNS),
    }
  }
  if (DETAIL) {
    for (const [name, p] of [['warm', warm], ['cold', cold], ['idle', idle]] as const) {
      progress(`\n${name} (${round(p.ms)} ms), per turn:`)
      for (const [store, c] of [['redis', p.redis], ['postgres', p.postgres]] as const) {
        for (const [command, n] of [...c.commands].sort((a, b) => b[1] - a[1])) progress(`  ${store} ${round(n / TURNS, 2)}  ${command}`)
      }
    }
  }
  console.log(JSON.stringify({ bench: 'runtime-trips', turns: TURNS, warm: perTurn(warm), cold: perTurn(cold) }))
}

const sum = (c: WireCounts) => [...c.commands.values()].reduce((a, b) => a + b, 0)

await main()
