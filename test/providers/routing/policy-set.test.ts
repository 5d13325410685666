// Routing policies as the workers run them: the RoutingPolicy resources in force in the versioned store, read by
// every worker process and hot-reloaded. A change applied once (API, CLI, file, controller) reaches two processes
// without a restart; a version a worker cannot use keeps the last good one and is logged; a deleted policy goes.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { applyResource, type ApplyDeps } from '../../../api/index.ts'
import type { Logger } from '../../../lib/log.ts'
import { startRouting, type Routing } from '../../../platform-routing.ts'
import { parseResourceDocuments } from '../../../resources/index.ts'
import { createStorage, type Storage } from '../../../storage/index.ts'
import { testConfig } from '../../support/platform.ts'
import { createTestDatabase, type TestDatabase } from '../../support/postgres.ts'
import { createTestRedis, type TestRedis } from '../../support/redis.ts'
import { waitFor } from '../../support/wait.ts'

const EXAMPLE = join(import.meta.dir, '..', '..', '..', 'policies', 'routing.example.yaml')
const example = parseResourceDocuments(readFileSync(EXAMPLE, 'utf8'), EXAMPLE)[0]!
// The example names `openai`; these workers have `local` only, so the policy routes on `local`.
const LOCAL_ONLY = {
  version: 'v1',
  models: { local: { provider: 'local', pricePerMTok: { input: 0, output: 0 } } },
  rules: [{ name: 'tier1', match: { intent: ['track_order'] }, chain: ['local'] }],
  default: { chain: ['local'] },
}

function recordingLog(): Logger & { lines: Array<{ level: string; msg: string; fields?: Record<string, unknown> }> } {
  const lines: Array<{ level: string; msg: string; fields?: Record<string, unknown> }> = []
  const at = (level: string) => (msg: string, fields?: Record<string, unknown>) => void lines.push({ level, msg, fields })
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') }
}

let db: TestDatabase
let redis: TestRedis
let storage: Storage
let apply: ApplyDeps
const operator = { kind: 'operator' as const, by: 'test' }
const processes: Routing[] = []
const logs = [recordingLog(), recordingLog()]

beforeAll(async () => {
  db = await createTestDatabase()
  redis = await createTestRedis()
  storage = createStorage(db.sql, redis.client, redis.prefix)
  apply = { resources: storage.resources, builtinTools: [] }
  await applyResource(apply, operator, { kind: 'RoutingPolicy', name: 'retail', spec: LOCAL_ONLY })
  const config = testConfig(redis.prefix, db.schema, { ROUTING_POLICY_POLL_MS: '50', ROUTING_DEFAULT_POLICY: 'retail' })
  for (const log of logs) processes.push(await startRouting(config, storage, log))
})

afterAll(async () => {
  for (const p of processes) await p.close()
  await redis.cleanup()
  await db.drop()
})

const ask = { messages: [{ role: 'user' as const, content: 'Where is my order #W2378156?' }] }
const facts = { tenantId: 't', agent: 'retail', conversationId: 'c1', intent: 'track_order' }
const versionIn = async (p: Routing, name = 'retail') => (await p.policies.get(name)?.complete(ask, facts))?.policyVersion

describe('routing policies from the versioned store', () => {
  test('every process starts with the policies in force; the default gateway is the named policy', async () => {
    for (const p of processes) {
      expect(await versionIn(p)).toBe('v1')
      expect((await p.defaultGateway.complete(ask, facts)).policyVersion).toBe('v1')
    }
  })

  test('a changed policy reaches every process without a restart', async () => {
    await applyResource(apply, operator, { kind: 'RoutingPolicy', name: 'retail', spec: { ...LOCAL_ONLY, version: 'v2' } })
    for (const p of processes) await waitFor(async () => (await versionIn(p)) === 'v2', 5000, 'reload to v2')
    expect((await processes[1]!.defaultGateway.complete(ask, facts)).policyVersion).toBe('v2')
  })

  test('a version naming a provider the workers lack keeps the last good one, logged once with the reason', async () => {
    await applyResource(apply, operator, { kind: 'RoutingPolicy', name: 'retail', spec: { ...example.spec, version: 'v3-openai' } })
    for (const log of logs) await waitFor(async () => log.lines.some((l) => l.level === 'error'), 5000, 'rejection logged')
    for (const p of processes) await p.refresh()
    for (const p of processes) expect(await versionIn(p)).toBe('v2')
    const rejected = logs[0]!.lines.filter((l) => l.level === 'error')
    expect(rejected).toHaveLength(1)
    expect(rejected[0]!.msg).toContain('keeping the last good version')
    expect(String((rejected[0]!.fields?.error as Error).message)).toContain('no provider named openai (configured: local)')
  })

  test('a new policy is served by name, and a deleted one is withdrawn while the default falls back', async () => {
    await applyResource(apply, operator, { kind: 'RoutingPolicy', name: 'second', spec: { ...LOCAL_ONLY, version: 's1' } })
    for (const p of processes) await waitFor(async () => (await versionIn(p, 'second')) === 's1', 5000, 'the new policy')
    await storage.resources.delete({ tenantId: '*', kind: 'RoutingPolicy', name: 'retail' }, 'test')
    for (const p of processes) await waitFor(async () => !p.policies.has('retail'), 5000, 'the withdrawn policy')
    // AGENT_PROVIDER (echo in tests) answers agents without a model while no default policy is in force.
    const fallback = await processes[0]!.defaultGateway.complete(ask, facts)
    expect(fallback.policyVersion).toBeUndefined()
    expect(fallback.path).toEqual(['echo:echo'])
  })
})
