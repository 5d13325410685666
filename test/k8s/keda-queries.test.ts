// Each Prometheus trigger of the rendered KEDA ScaledObjects, run as written against a real Prometheus (Debian's
// package) scraping a running worker, labelled as a PodMonitor labels it: the value rises with a backlog and
// falls back to zero once it drains.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import type { Subprocess } from 'bun'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { ToolExecutor } from '../../actors/index.ts'
import type { ModelGateway } from '../../providers/index.ts'
import { fakeTools, scriptedGateway, startObserved, type ObservedPlatform } from '../observability/harness.ts'
import { waitFor } from '../support/wait.ts'
import { findKubectl, parseObjects } from './schema-validator.ts'

const PROMETHEUS = '/usr/bin/prometheus'
const kubectl = findKubectl()
const available = existsSync(PROMETHEUS) && Boolean(kubectl)
if (!available) console.warn(`SKIPPED: the KEDA query test needs ${PROMETHEUS} and kubectl (scripts/setup.sh --test)`)

let h: ObservedPlatform
let prometheus: Subprocess | undefined
let dir: string
let promUrl: string
let release: () => void = () => {}
const held = new Promise<void>((resolve) => (release = resolve))

/** Conversations whose model calls the routing sends to the `openai` provider queue; the others' run in process (`local`). */
const onOpenAI = new Set<string>()

/** Model calls on the `openai` queue wait until `release()`, so its second call waits behind its first. */
function heldGateway(): ModelGateway {
  const inner = scriptedGateway()
  return {
    vendors: (ctx) => [{ vendor: onOpenAI.has(ctx.conversationId) ? 'openai' : 'local', path: [] }],
    complete: async (req, ctx) => (onOpenAI.has(ctx.conversationId) && (await held), inner.complete(req, ctx)),
  }
}

/** Tool calls wait until `release()` too: a turn that looks an order up holds its mail, and the next tool call waits. */
const heldTools: ToolExecutor = { execute: async (call) => (await held, fakeTools.execute(call)) }

// Configured, so the worker serves its queue and reports its backlog; never called (the held gateway answers).
const OPENAI = JSON.stringify([{ vendor: 'openai', apiKey: 'sk-keda-test-0000', baseUrl: 'http://127.0.0.1:9/v1' }])

function triggers(): Array<{ name: string; query: string }> {
  const out = Bun.spawnSync([kubectl!, 'kustomize', join(import.meta.dir, '..', '..', 'k8s', 'overlays', 'prod')])
  return parseObjects(out.stdout.toString()).filter((o) => o.kind === 'ScaledObject')
    .flatMap((s) => s.spec.triggers.filter((t: any) => t.type === 'prometheus').map((t: any) => ({ name: `${s.metadata!.name}/${t.name}`, query: t.metadata.query })))
}

function startPrometheus(targetPort: number): void {
  dir = mkdtempSync(join(tmpdir(), 'switchboard-keda-'))
  const config = join(dir, 'prometheus.yml')
  // The labels a PodMonitor gives a worker pod's series; the queries select on `namespace`.
  writeFileSync(config, [
    'global: { scrape_interval: 1s, evaluation_interval: 1s }',
    'scrape_configs:',
    '  - job_name: podMonitor/switchboard/switchboard-worker/0',
    `    static_configs: [{ targets: ['127.0.0.1:${targetPort}'], labels: { namespace: switchboard, pod: switchboard-worker-0 } }]`,
  ].join('\n'))
  const probe = Bun.serve({ port: 0, hostname: '127.0.0.1', fetch: () => new Response() })
  const port = probe.port!
  probe.stop(true)
  promUrl = `http://127.0.0.1:${port}`
  prometheus = Bun.spawn([PROMETHEUS, `--config.file=${config}`, `--storage.tsdb.path=${join(dir, 'data')}`,
    `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'], { stdout: 'ignore', stderr: 'ignore' })
}

async function value(promql: string): Promise<number | undefined> {
  const res = await fetch(`${promUrl}/api/v1/query?query=${encodeURIComponent(promql)}`).catch(() => undefined)
  if (!res?.ok) return undefined
  const body = (await res.json()) as { data: { result: Array<{ value: [number, string] }> } }
  const v = body.data.result[0]?.value[1]
  return v === undefined ? undefined : Number(v)
}

beforeAll(async () => {
  if (!available) return
  // One provider call at a time per provider queue and one tool call at a time: the second of each waits.
  h = await startObserved({ gateway: heldGateway(), tools: heldTools }, { POOL_PROVIDER_CONCURRENCY: '1', POOL_TOOL_CONCURRENCY: '1', ROUTING_PROVIDERS: OPENAI })
  startPrometheus(h.platform.metricsPort!)
})

afterAll(async () => {
  if (!available) return
  release()
  prometheus?.kill()
  await prometheus?.exited
  await h.close()
  rmSync(dir, { recursive: true, force: true })
})

test.skipIf(!available)('every KEDA trigger query rises with the backlog and falls to zero when it drains', async () => {
  const queries = triggers()
  expect(queries.map((q) => q.name).sort()).toEqual([
    'switchboard-provider-openai/provider-backlog', 'switchboard-worker/conversation-backlog', 'switchboard-worker/pool-backlog',
  ])
  const turns: string[] = []
  const [a, b, c, d] = [await h.newConversation(), await h.newConversation(), await h.newConversation(), await h.newConversation()]
  onOpenAI.add(c!).add(d!)
  for (let i = 0; i < 4; i++) turns.push(await h.post(a!, `Where is my order? (${i + 1})`))
  await waitFor(async () => (await h.platform.host!.stats()).mailboxBacklog === 3, 15_000, 'three messages behind the first turn')
  turns.push(await h.post(b!, 'Where is my order? (b)'), await h.post(c!, 'Hello from c'), await h.post(d!, 'Hello from d'))
  await waitFor(async () => (await h.platform.host!.stats()).activeActors === 4, 15_000, 'b, c and d to be active')

  // a's three messages wait in its mailbox behind its order lookup; b's tool call waits behind a's in the tool pool;
  // d's model call behind c's on the `openai` queue: each vendor's Deployment sees its own backlog.
  const expected: Record<string, number> = {
    'switchboard-worker/conversation-backlog': 3, 'switchboard-worker/pool-backlog': 1, 'switchboard-provider-openai/provider-backlog': 1,
  }
  for (const q of queries) {
    const seen = await waitFor(async () => ((await value(q.query)) === expected[q.name] ? expected[q.name] : undefined), 30_000, `${q.name} to reach ${expected[q.name]}`)
    expect(seen).toBe(expected[q.name]!)
  }

  release()
  for (const turnId of turns) await h.waitForReply(turnId)
  for (const q of queries) {
    expect(await waitFor(async () => ((await value(q.query)) === 0 ? 'drained' : undefined), 30_000, `${q.name} to drain`)).toBe('drained')
  }
}, 120_000)
