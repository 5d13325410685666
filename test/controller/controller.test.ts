// The controller role end to end, as `--role controller` runs it, against a loopback API server that replays a
// recorded list+watch stream (fixtures/watch-stream.json, in the API server's wire format). No Kubernetes API
// server can run here, so the requests the controller makes (Lease, list, watch, status patches) are recorded
// and checked, and the effects are read from the real store.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { createKubeClient } from '../../controller/index.ts'
import { startPlatform, type Platform } from '../../platform.ts'
import { testConfig } from '../support/platform.ts'
import { createTestDatabase, type TestDatabase } from '../support/postgres.ts'
import { createTestRedis, type TestRedis } from '../support/redis.ts'
import { waitFor } from '../support/wait.ts'
import { startKubeApiServer, type KubeApiServer, type RecordedPlural } from './kube-api-server.ts'

const recording: Record<string, RecordedPlural> = JSON.parse(readFileSync(join(import.meta.dir, 'fixtures', 'watch-stream.json'), 'utf8'))
const BASE = '/apis/switchboard.dev/v1alpha1/namespaces/switchboard'

let api: KubeApiServer
let db: TestDatabase
let redis: TestRedis
let platform: Platform
let workerId: string

beforeAll(async () => {
  api = startKubeApiServer(recording)
  db = await createTestDatabase()
  redis = await createTestRedis()
  const config = testConfig(redis.prefix, db.schema, { ROLE: 'controller', RESOURCES_DIR: '', CONTROLLER_RETRY_MS: '100', CONTROLLER_LEASE_DURATION_S: '3' })
  workerId = config.workerId
  platform = await startPlatform(config, { kube: createKubeClient({ server: api.url, token: 'test-token' }) })
})

afterAll(async () => {
  await platform.close()
  api.close()
  await redis.cleanup()
  await db.drop()
})

const patches = (name: string) => api.requests.filter((r) => r.method === 'PATCH' && r.path.endsWith(`/${name}/status`))
const lastStatus = (name: string) => patches(name).at(-1)?.body.status
const stored = (kind: string, name: string) => platform.storage.resources.get({ tenantId: 'acme', kind, name })

describe('the controller role against a recorded watch stream', () => {
  test('takes the Lease, then lists each kind and watches from the list\'s resourceVersion', async () => {
    await waitFor(async () => platform.controller!.isLeader(), 10_000, 'leadership')
    const lease = api.lease('switchboard-controller')
    expect(lease.spec).toMatchObject({ holderIdentity: workerId, leaseDurationSeconds: 3, leaseTransitions: 0 })
    expect(lease.spec.renewTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/)
    const plurals = ['tools', 'agents', 'mcpservers', 'agentpolicies', 'campaigns', 'routingpolicies', 'retentionpolicies']
    const watching = async () => plurals.every((p) => api.requests.some((r) => r.path === `${BASE}/${p}` && r.query.watch === 'true'))
    await waitFor(watching, 10_000, 'a watch of every kind')
    for (const plural of plurals) {
      expect(api.requests.some((r) => r.method === 'GET' && r.path === `${BASE}/${plural}` && r.query.watch === undefined)).toBe(true)
    }
    const watch = api.requests.find((r) => r.path === `${BASE}/agents` && r.query.watch === 'true')!
    expect(watch.query.resourceVersion).toBe('4101')
    const create = api.requests.find((r) => r.method === 'POST' && r.path.endsWith('/leases'))!
    expect(create.body.metadata.name).toBe('switchboard-controller')
  })

  test('applies listed and watched objects through the store and patches their status', async () => {
    await waitFor(async () => lastStatus('tracking')?.observedGeneration === 2, 15_000, 'the MODIFIED agent to be applied')
    expect(await stored('Tool', 'track_parcel')).toMatchObject({ version: 1, createdBy: 'controller' })
    expect(await stored('Agent', 'tracking')).toMatchObject({ version: 2, createdBy: 'controller', spec: { instructions: expect.stringContaining('Be brief.') } })
    const patch = patches('track_parcel').at(-1)!
    expect(patch.path).toBe(`${BASE}/tools/track_parcel/status`)
    expect(patch.contentType).toBe('application/merge-patch+json')
    expect(patch.body.status).toMatchObject({ observedGeneration: 1, appliedVersion: 1, tenant: 'acme', conditions: [{ type: 'Accepted', status: 'True', reason: 'Applied' }] })
    expect(lastStatus('tracking')).toMatchObject({ appliedVersion: 2, conditions: [{ status: 'True', observedGeneration: 2 }] })
  })

  test('an invalid object gets Accepted=False naming each bad field, and nothing is stored', async () => {
    await waitFor(async () => lastStatus('broken'), 10_000, 'the broken agent\'s status')
    const condition = lastStatus('broken').conditions[0]
    expect(condition).toMatchObject({ type: 'Accepted', status: 'False', reason: 'Invalid' })
    expect(condition.message).toContain('/spec/mode')
    expect(await stored('Agent', 'broken')).toBeUndefined()
  })

  test('routing and retention policies take effect through the store; an invalid one is refused with its paths', async () => {
    const platformScope = (kind: string, name: string) => platform.storage.resources.get({ tenantId: '*', kind, name })
    await waitFor(async () => lastStatus('retail-default')?.observedGeneration === 2, 15_000, 'the MODIFIED routing policy')
    expect(lastStatus('retail-default')).toMatchObject({ appliedVersion: 2, tenant: '*', conditions: [{ status: 'True', reason: 'Applied' }] })
    expect(await platformScope('RoutingPolicy', 'retail-default')).toMatchObject({ version: 2, createdBy: 'controller', spec: { version: '2026-05-02.1' } })
    // A worker without one of its providers refuses version 2: the status says so, as often as workers reload policies.
    await platform.storage.routingRejections.report('worker-x', [{ name: 'retail-default', revision: 2, message: 'no provider "openai" here' }], 60_000)
    const loaded = () => lastStatus('retail-default')?.conditions?.find((c: { type: string }) => c.type === 'Loaded')
    await waitFor(async () => loaded(), 10_000, 'the Loaded condition')
    expect(loaded()).toMatchObject({ status: 'False', reason: 'Rejected', message: 'version 2 is refused by 1 worker (worker-x), which runs no version of it: no provider "openai" here' })
    await platform.storage.routingRejections.report('worker-x', [], 60_000)
    await waitFor(async () => !loaded(), 10_000, 'the Loaded condition gone')
    await waitFor(async () => lastStatus('outreach'), 10_000, 'the listed retention policies')
    for (const name of ['default', 'outreach']) expect(await platformScope('RetentionPolicy', name)).toMatchObject({ version: 1, createdBy: 'controller' })
    // Every process's retention resolver reads the store: this one has the policies the cluster declared.
    await waitFor(async () => platform.storage.retentionResolver.resolve('acme', 'outreach').policy === 'outreach@1', 10_000, 'the resolver')

    await waitFor(async () => lastStatus('keep-nothing'), 10_000, 'the invalid retention policy\'s status')
    const condition = lastStatus('keep-nothing').conditions[0]
    expect(condition).toMatchObject({ status: 'False', reason: 'Invalid' })
    for (const path of ['/spec/hot/ttlSeconds', '/spec/warm/days']) expect(condition.message).toContain(path)
    expect(await stored('RetentionPolicy', 'keep-nothing')).toBeUndefined()
  })

  test('a DELETED event takes the resource out of force', async () => {
    const gone = async () => {
      const history = await platform.storage.resources.history({ tenantId: 'acme', kind: 'Agent', name: 'seasonal' })
      return history.length === 2 && history
    }
    const history = await waitFor(gone, 10_000, 'the seasonal agent to be applied, then deleted')
    expect(history.map((v) => v.spec === null)).toContain(true)
    expect(history.every((v) => v.createdBy === 'controller')).toBe(true)
  })

  test('serves probes and its metrics on the metrics port', async () => {
    const base = `http://127.0.0.1:${platform.metricsPort}`
    expect((await fetch(`${base}/healthz`)).status).toBe(200)
    expect((await fetch(`${base}/readyz`)).status).toBe(200)
    const metrics = await (await fetch(`${base}/metrics`)).text()
    expect(metrics).toContain('switchboard_controller_leader 1')
    expect(metrics).toMatch(/switchboard_controller_resources\{kind="Agent",state="refused"\} 1/)
    expect(metrics).toMatch(/switchboard_controller_resources\{kind="RetentionPolicy",state="accepted"\} 2/)
  })
})

test('on close it frees the Lease for its successor', async () => {
  await platform.close()
  expect(api.lease('switchboard-controller').spec).toMatchObject({ holderIdentity: '', leaseDurationSeconds: 1 })
})
