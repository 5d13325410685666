// A RoutingPolicy version the workers refuse (it names a provider they lack) shows on the resource the API serves:
// one condition naming the version, the workers, the version they keep and the missing provider. A fixed version
// clears it, and a worker that stops takes its refusal with it (at once when it closes, after its time when it dies).
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Logger } from '../../lib/log.ts'
import { routingPolicyStatus } from '../../api/routing-policy-status.ts'
import { startRouting, type Routing } from '../../platform-routing.ts'
import { parseResourceDocuments } from '../../resources/index.ts'
import { testConfig } from '../support/platform.ts'
import { waitFor } from '../support/wait.ts'
import { ADMIN_TOKEN, startApiHarness, type ApiHarness } from './harness.ts'

const EXAMPLE = join(import.meta.dir, '..', '..', 'policies', 'routing.example.yaml')
// The example routes on `openai`; these workers have `local` only.
const NAMES_OPENAI = parseResourceDocuments(readFileSync(EXAMPLE, 'utf8'), EXAMPLE)[0]!.spec
const LOCAL_ONLY = { models: { local: { provider: 'local', pricePerMTok: { input: 0, output: 0 } } }, rules: [], default: { chain: ['local'] } }

let h: ApiHarness
// The refusals are logged too; the test reads them from the resource.
const quiet: Logger = { debug() {}, info() {}, warn() {}, error() {} }
const workers: Routing[] = []
const put = (spec: Record<string, unknown>) =>
  h.call('PUT', '/v1/admin/routingpolicies/house', { key: ADMIN_TOKEN, body: { spec } })
const house = async () => (await h.call('GET', '/v1/routingpolicies/house')).body
const conditionOf = async () => (await house()).status?.conditions?.[0]

const refreshed = () => Promise.all(workers.map((w) => w.refresh()))

beforeAll(async () => {
  h = await startApiHarness({ ROLE: 'api' })
  // Two workers deployed alike (each with its own WORKER_ID): they refuse the same versions for the same reason.
  while (workers.length < 2) {
    const config = testConfig(h.redis.prefix, h.db.schema, { ROUTING_POLICY_POLL_MS: '50' })
    workers.push(await startRouting(config, h.platform.storage, quiet))
  }
})
afterAll(async () => {
  for (const w of workers) await w.close()
  await h.close()
})

describe('a refused RoutingPolicy on the resource', () => {
  test('a version every worker runs has no status', async () => {
    expect((await put({ ...LOCAL_ONLY, version: 'h1' })).status).toBe(200)
    await refreshed()
    expect(await house()).not.toHaveProperty('status')
  })

  test('a version naming a provider the workers lack: one condition naming it, on the resource and in the list', async () => {
    expect((await put({ ...NAMES_OPENAI, version: 'h2-openai' })).body.version).toBe(2)
    await refreshed()
    await waitFor(async () => (await conditionOf())?.workers.length === 2, 5000, 'both workers refuse version 2')
    const condition = await conditionOf()
    expect(condition).toMatchObject({ type: 'Loaded', status: 'False', reason: 'Rejected' })
    expect(condition.message).toStartWith('version 2 is refused by 2 workers (')
    expect(condition.message).toEndWith('which keep version 1: routing policy h2-openai: no provider named openai (configured: local)')
    const listed = (await h.call('GET', '/v1/routingpolicies')).body.data
    expect(listed).toMatchObject([{ name: 'house', version: 2, status: { conditions: [condition] } }])
  })

  test('a worker that closes takes its refusal with it; one that died stops counting once its report runs out', async () => {
    await workers[1]!.close()
    await waitFor(async () => (await conditionOf())?.workers.length === 1, 5000, 'one worker left')
    const remaining: string[] = (await conditionOf()).workers
    expect((await conditionOf()).message).toStartWith(`version 2 is refused by 1 worker (${remaining[0]}), which keeps version 1: `)
    const died = (ttlMs: number) => h.platform.storage.routingRejections.report('died', [{ name: 'house', revision: 2, message: 'gone' }], ttlMs)
    await died(60_000)
    expect((await conditionOf()).workers).toEqual([...remaining, 'died'].sort())
    await died(1)
    await Bun.sleep(5)
    expect((await conditionOf()).workers).toEqual(remaining)
  })

  test('a fixed version clears the status', async () => {
    expect((await put({ ...LOCAL_ONLY, version: 'h3' })).body.version).toBe(3)
    await waitFor(async () => !('status' in (await house())), 5000, 'no refusal of version 3')
  })
})

test('many workers and two reasons: one clause per reason, five names each and a count of the rest', () => {
  const resource = { tenantId: '*', kind: 'RoutingPolicy', name: 'house', version: 4, spec: {}, createdBy: 'test', comment: null, createdAt: new Date() }
  const refusal = (worker: string, message: string, keeps?: number) => ({ name: 'house', revision: 4, message, worker, at: '', ...(keeps ? { keeps } : {}) })
  const status = routingPolicyStatus(resource, [
    ...['w1', 'w2', 'w3', 'w4', 'w5', 'w6', 'w7'].map((w) => refusal(w, 'no provider named openai (configured: local)', 3)),
    refusal('new', 'no provider named openai (configured: local)'),
    refusal('old', 'no provider named openai', 3),
    { ...refusal('w1', 'no provider named openai'), revision: 3 },
  ])
  expect(status?.conditions[0]?.message).toBe('version 4 is refused by 7 workers (w1, w2, w3, w4, w5 and 2 more), which keep version 3: '
    + 'no provider named openai (configured: local); and by 1 worker (new), which runs no version of it: no provider named openai (configured: local); '
    + 'and by 1 worker (old), which keeps version 3: no provider named openai')
  expect(status?.conditions[0]?.workers).toHaveLength(9)
})
