// bench:api: accepted customer messages per second (POST → 202, real Postgres write and mailbox send) from a
// loopback load generator against one API process, next to a bare Bun server under the same generator; then
// how many concurrent SSE streams that process holds while delivering one reply event to each.
// Usage: bun bench/api.ts [seconds] [sse streams]
import Redis from 'ioredis'
import type { Socket } from 'bun'
import { readFileSync } from 'node:fs'
import { createStorage } from '../storage/index.ts'
import { spawnSwitchboard } from '../test/support/processes.ts'
import { createBenchEnv, databaseUrl, deleteKeys, percentile, progress, redisUrl, round } from './support.ts'

const SECONDS = Number(process.argv[2] ?? 5)
const SSE_STREAMS = Number(process.argv[3] ?? 2000)
const CONCURRENCY = 64
const CONVERSATIONS = 500
const KEY = `sb_bench_${crypto.randomUUID()}`

const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024
/** CPU seconds the process has used (user + system): steadier than a rate on a machine whose speed drifts. */
const cpuSeconds = (pid: number) => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
  return (Number(fields[11]) + Number(fields[12])) / 100
}

interface LoadResult {
  rate: number
  latencies: number[]
  errors: number
}

/** Closed loop: CONCURRENCY clients post back to back for `seconds`. */
async function load(url: (i: number) => string, seconds: number): Promise<LoadResult> {
  const latencies: number[] = []
  let errors = 0
  const end = performance.now() + seconds * 1000
  const headers = { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' }
  await Promise.all(Array.from({ length: CONCURRENCY }, async (_, c) => {
    for (let i = c; performance.now() < end; i += CONCURRENCY) {
      const started = performance.now()
      const res = await fetch(url(i), { method: 'POST', headers, body: '{"text":"Where is my order?"}' })
      await res.arrayBuffer()
      if (res.status === 202) latencies.push(performance.now() - started)
      else errors++
    }
  }))
  return { rate: latencies.length / seconds, latencies: latencies.sort((a, b) => a - b), errors }
}

/** The ceiling of this machine and generator: a Bun server that reads the body and answers 202. */
async function bareServerRate(): Promise<number> {
  const code = `const s = Bun.serve({ port: 0, hostname: '127.0.0.1', fetch: async (r) => (await r.text(), new Response('{}', { status: 202 })) }); console.log(s.port)`
  const proc = Bun.spawn([process.execPath, '-e', code], { stdout: 'pipe' })
  const { value } = await proc.stdout.getReader().read()
  const port = Number(new TextDecoder().decode(value).trim())
  const result = await load(() => `http://127.0.0.1:${port}/`, Math.min(SECONDS, 3))
  proc.kill()
  return result.rate
}

interface SseClient {
  connected: boolean
  deliveredMs?: number
}

/** Raw sockets, so the generator is not capped by fetch's connection pool. */
async function openSse(port: number, conversationId: string): Promise<SseClient> {
  const client: SseClient = { connected: false }
  let text = ''
  const socket: Socket = await Bun.connect({
    hostname: '127.0.0.1', port,
    socket: {
      data(_s, chunk) {
        text += chunk.toString()
        client.connected ||= text.includes(': connected')
        const at = /event: reply\.completed\ndata: .*"at":(\d+)/.exec(text)
        if (at && client.deliveredMs === undefined) client.deliveredMs = Date.now() - Number(at[1])
      },
    },
  })
  socket.write(`GET /v1/conversations/${conversationId}/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${KEY}\r\nAccept: text/event-stream\r\n\r\n`)
  return client
}

async function until(check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!check() && Date.now() < deadline) await Bun.sleep(50)
}

async function measureSse(port: number, prefix: string, sql: Awaited<ReturnType<typeof createBenchEnv>>['sql']) {
  await sql`insert into conversations (id, tenant_id) select 'sse-' || g, 'demo' from generate_series(1, ${SSE_STREAMS}) g`
  const clients: SseClient[] = []
  for (let i = 0; i < SSE_STREAMS; i += 200) {
    clients.push(...await Promise.all(Array.from({ length: Math.min(200, SSE_STREAMS - i) }, (_, j) => openSse(port, `sse-${i + j + 1}`))))
  }
  await until(() => clients.every((c) => c.connected), 60_000)
  progress(`  ${clients.filter((c) => c.connected).length} streams open; publishing one reply to each…`)
  const redis = new Redis(redisUrl())
  const events = createStorage(sql, redis, prefix).events
  for (let i = 0; i < SSE_STREAMS; i += 200) {
    await Promise.all(clients.slice(i, i + 200).map((_, j) => events.publish({
      id: 'bench-reply', type: 'reply.completed', conversationId: `sse-${i + j + 1}`, at: Date.now(), data: { text: 'Your order shipped.' },
    })))
  }
  await until(() => clients.every((c) => c.deliveredMs !== undefined), 30_000)
  redis.disconnect()
  const delivered = clients.filter((c) => c.connected && c.deliveredMs !== undefined)
  return { streams: delivered.length, latencies: delivered.map((c) => c.deliveredMs!).sort((a, b) => a - b) }
}

async function main(): Promise<void> {
  const env = await createBenchEnv('api')
  progress(`bare Bun server baseline (${CONCURRENCY} clients)…`)
  const bareRate = await bareServerRate()
  progress(`  ${round(bareRate)} req/s`)
  const api = spawnSwitchboard('api', {
    QUEUE_PREFIX: env.prefix, DATABASE_SCHEMA: env.schema, REDIS_URL: redisUrl(), DATABASE_URL: databaseUrl(), PORT: '0',
    HOST: '127.0.0.1', SWITCHBOARD_DEMO_API_KEY: KEY, API_RATE_LIMIT_PER_S: '10000000',
  })
  await api.waitForLog('switchboard started')
  const port = Number(/"url":"http:\/\/[^:]+:(\d+)"/.exec(api.output())?.[1])
  const base = `http://127.0.0.1:${port}`
  const ids: string[] = []
  for (let i = 0; i < CONVERSATIONS; i++) {
    const res = await fetch(`${base}/v1/conversations`, { method: 'POST', headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' }, body: '{}' })
    ids.push(((await res.json()) as { id: string }).id)
  }
  const url = (i: number) => `${base}/v1/conversations/${ids[i % CONVERSATIONS]}/messages`
  await load(url, 1)
  progress(`accepting messages for ${SECONDS} s (${CONCURRENCY} clients, ${CONVERSATIONS} conversations)…`)
  const cpuBefore = cpuSeconds(api.proc.pid)
  const accept = await load(url, SECONDS)
  const cpuMsPerMessage = ((cpuSeconds(api.proc.pid) - cpuBefore) * 1000) / accept.latencies.length
  const [p50, p99] = [percentile(accept.latencies, 50), percentile(accept.latencies, 99)]
  progress(`  ${round(accept.rate)} accepted/s, p50 ${round(p50)} ms, p99 ${round(p99)} ms, ${accept.errors} errors`)
  progress(`  API CPU ${round(cpuMsPerMessage * 1000, 1)} µs per accepted message`)
  progress(`  API RSS ${round(rssMb(api.proc.pid))} MB`)

  progress(`opening ${SSE_STREAMS} SSE streams…`)
  const sse = await measureSse(port, env.prefix, env.sql)
  progress(`  ${sse.streams} streams got their reply, p50 ${round(percentile(sse.latencies, 50))} ms, p99 ${round(percentile(sse.latencies, 99))} ms`)
  progress(`  API RSS ${round(rssMb(api.proc.pid))} MB with the streams open`)

  api.kill('SIGKILL')
  await api.proc.exited
  const redis = new Redis(redisUrl())
  await deleteKeys(env.prefix, redis)
  redis.disconnect()
  await env.cleanup()
  console.log(JSON.stringify({
    bench: 'api', accept_per_s: round(accept.rate), accept_p99_ms: round(p99), api_cpu_us_per_message: round(cpuMsPerMessage * 1000, 1),
    sse_streams: sse.streams, sse_delivery_p99_ms: round(percentile(sse.latencies, 99)), bare_server_per_s: round(bareRate),
  }))
  process.exit(0)
}

await main()
