// A real Prometheus (Debian's package, /usr/bin/prometheus) scrapes a worker's metrics port every second;
// a PromQL query over its HTTP API sees the mailbox backlog of a conversation whose first turn is held.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import type { Subprocess } from 'bun'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { ModelGateway } from '../../providers/index.ts'
import { waitFor } from '../support/wait.ts'
import { scriptedGateway, startObserved, type ObservedPlatform } from './harness.ts'

const PROMETHEUS = '/usr/bin/prometheus'
const available = existsSync(PROMETHEUS)
if (!available) console.warn(`SKIPPED: the Prometheus scrape test needs ${PROMETHEUS} (Debian package "prometheus")`)

let h: ObservedPlatform
let prometheus: Subprocess | undefined
let dir: string
let promUrl: string
let release: () => void = () => {}

/** The first model call waits until `release()`: the conversation's later mail stays in its mailbox. */
function heldGateway(): ModelGateway {
  const inner = scriptedGateway()
  const held = new Promise<void>((resolve) => (release = resolve))
  return { complete: async (req, ctx) => (await held, inner.complete(req, ctx)) }
}

function freePort(): number {
  const probe = Bun.serve({ port: 0, hostname: '127.0.0.1', fetch: () => new Response() })
  const port = probe.port!
  probe.stop(true)
  return port
}

function startPrometheus(targetPort: number): void {
  dir = mkdtempSync(join(tmpdir(), 'switchboard-prom-'))
  const config = join(dir, 'prometheus.yml')
  writeFileSync(config, [
    'global: { scrape_interval: 1s, evaluation_interval: 1s }',
    'scrape_configs:',
    '  - job_name: switchboard-worker',
    `    static_configs: [{ targets: ['127.0.0.1:${targetPort}'] }]`,
  ].join('\n'))
  const port = freePort()
  promUrl = `http://127.0.0.1:${port}`
  prometheus = Bun.spawn([PROMETHEUS, `--config.file=${config}`, `--storage.tsdb.path=${join(dir, 'data')}`,
    `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'], { stdout: 'ignore', stderr: 'ignore' })
}

async function query(promql: string): Promise<string | undefined> {
  const res = await fetch(`${promUrl}/api/v1/query?query=${encodeURIComponent(promql)}`).catch(() => undefined)
  if (!res?.ok) return undefined
  const body = (await res.json()) as { data: { result: Array<{ value: [number, string] }> } }
  return body.data.result[0]?.value[1]
}

beforeAll(async () => {
  if (!available) return
  h = await startObserved({ gateway: heldGateway() })
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

describe('Prometheus', () => {
  test.skipIf(!available)('scrapes the worker; PromQL sees the mailbox backlog, then sees it drain', async () => {
    const conversationId = await h.newConversation()
    const turns: string[] = []
    for (let i = 0; i < 4; i++) turns.push(await h.post(conversationId, `Where is my order? (asking for the ${i + 1}. time)`))
    // One turn is being handled (held at the model); three wait in the mailbox.
    await waitFor(async () => (await h.platform.host!.stats()).mailboxBacklog === 3, 10_000, 'three messages waiting')
    const backlog = 'switchboard_mailbox_backlog{job="switchboard-worker"}'
    expect(await waitFor(async () => ((await query(backlog)) === '3' ? '3' : undefined), 20_000, 'Prometheus to see a backlog of 3')).toBe('3')
    expect(await query('switchboard_active_actors{job="switchboard-worker"}')).toBe('1')

    release()
    for (const turnId of turns) await h.waitForReply(turnId)
    expect(await waitFor(async () => ((await query(backlog)) === '0' ? '0' : undefined), 20_000, 'Prometheus to see the backlog drain')).toBe('0')
    const turnsSeen = async () => ((await query('sum(switchboard_turns_total{job="switchboard-worker"})')) === '4' ? '4' : undefined)
    expect(await waitFor(turnsSeen, 10_000, 'Prometheus to count four turns')).toBe('4')
  }, 60_000)
})
