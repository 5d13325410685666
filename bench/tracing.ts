// bench:tracing: the runtime benchmark's load (conversations through one worker process, echo provider) with
// tracing off and with tracing on exporting OTLP/HTTP to a loopback receiver, alternating in one run so
// drift on a shared machine hits both. Usage: bun bench/tracing.ts [conversations per phase]
import Redis from 'ioredis'
import { spawnSwitchboard } from '../test/support/processes.ts'
import { createSender, turn, type Sender } from '../test/support/traffic.ts'
import { createBenchEnv, databaseUrl, deleteKeys, progress, redisUrl, round, type BenchEnv } from './support.ts'

const CONVERSATIONS = Number(process.argv[2] ?? 500)
const TURNS_PER_CONVERSATION = 3
const PHASES = ['off', 'on', 'off', 'on'] as const
type Mode = (typeof PHASES)[number]

/** A stand-in collector: accepts OTLP/HTTP JSON and counts spans without parsing whole batches. */
function startReceiver(): { url: string; spans: () => number; stop(): void } {
  let spans = 0
  const server = Bun.serve({
    port: 0,
    hostname: '127.0.0.1',
    async fetch(req) {
      if (req.method !== 'POST' || new URL(req.url).pathname !== '/v1/traces') return new Response('not found', { status: 404 })
      const body = await req.text()
      for (let i = body.indexOf('"spanId":'); i >= 0; i = body.indexOf('"spanId":', i + 9)) spans++
      return Response.json({})
    },
  })
  return { url: `http://127.0.0.1:${server.port}`, spans: () => spans, stop: () => void server.stop(true) }
}

async function replies(env: BenchEnv): Promise<number> {
  const [row] = await env.sql<{ n: number }[]>`select count(*)::int as n from messages where role = 'assistant'`
  return row?.n ?? 0
}

function tracingEnv(mode: Mode, receiverUrl: string): Record<string, string> {
  if (mode === 'off') return { OTEL_TRACES_EXPORTER: 'none' }
  // A short batch delay and a deep queue, so spans are exported during the run rather than dropped.
  return {
    OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_ENDPOINT: receiverUrl, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
    OTEL_BSP_SCHEDULE_DELAY: '200', OTEL_BSP_MAX_QUEUE_SIZE: '65536', OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '2048',
  }
}

async function runPhase(env: BenchEnv, sender: Sender, phase: number, mode: Mode, receiverUrl: string): Promise<number> {
  const worker = spawnSwitchboard('worker', {
    QUEUE_PREFIX: env.prefix, DATABASE_SCHEMA: env.schema, REDIS_URL: redisUrl(), DATABASE_URL: databaseUrl(),
    AGENT_PROVIDER: 'echo', METRICS_PORT: '0', ...tracingEnv(mode, receiverUrl),
  })
  await worker.waitForLog('switchboard started')
  const ids = Array.from({ length: CONVERSATIONS }, (_, i) => `p${phase}-${i}`)
  const target = (await replies(env)) + ids.length * TURNS_PER_CONVERSATION
  const started = performance.now()
  for (let t = 0; t < TURNS_PER_CONVERSATION; t++) {
    for (let i = 0; i < ids.length; i += 200) {
      await Promise.all(ids.slice(i, i + 200).map((c) => sender.mailbox.send(turn(c, `${c}-t${t}`, `turn ${t}`))))
    }
  }
  for (let n = await replies(env); n < target; n = await replies(env)) await Bun.sleep(100)
  const rate = (ids.length * TURNS_PER_CONVERSATION) / ((performance.now() - started) / 1000)
  worker.kill('SIGTERM')
  await worker.proc.exited
  return rate
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length

async function main(): Promise<void> {
  const env = await createBenchEnv('tracing')
  const redis = new Redis(redisUrl())
  const receiver = startReceiver()
  const sender = createSender(env.prefix)
  const rates: Record<Mode, number[]> = { off: [], on: [] }
  let spansBefore = 0
  for (const [i, mode] of PHASES.entries()) {
    progress(`phase ${i + 1}/${PHASES.length}: tracing ${mode}, ${CONVERSATIONS} conversations x ${TURNS_PER_CONVERSATION} turns…`)
    const rate = await runPhase(env, sender, i, mode, receiver.url)
    rates[mode].push(rate)
    const exported = receiver.spans() - spansBefore
    spansBefore = receiver.spans()
    const perTurn = round(exported / (CONVERSATIONS * TURNS_PER_CONVERSATION), 1)
    progress(`  ${round(rate)} turns/s${mode === 'on' ? `, ${exported} spans exported (${perTurn} per turn)` : ''}`)
  }
  await sender.close()
  receiver.stop()
  await deleteKeys(env.prefix, redis)
  redis.disconnect()
  await env.cleanup()
  const off = mean(rates.off)
  const on = mean(rates.on)
  console.log(JSON.stringify({
    bench: 'tracing', turns_per_s_off: round(off), turns_per_s_on: round(on), overhead: round(1 - on / off, 3),
    spans_exported: receiver.spans(), conversations: CONVERSATIONS, phases: PHASES.length,
  }))
}

await main()
