// The controller's reconcile logic against the real versioned store (a fresh Postgres schema): custom resources
// are applied through applyResource as the operator, and each gets the status a person reads with kubectl.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import Redis from 'ioredis'
import { parseAllDocuments } from 'yaml'
import { applyResource, type ApplyDeps } from '../../api/index.ts'
import { CONTROLLED_KINDS, CONTROLLER_BY, createReconciler, type ControllerStore, type CustomResource, type Reconciler, type ResourceStatus } from '../../controller/index.ts'
import { createLogger, setLogLevel } from '../../lib/log.ts'
import { BUILTIN_TOOLS } from '../../platform-resources.ts'
import { createRoutingRejections, createStorage, type Storage } from '../../storage/index.ts'
import { createTestDatabase, type TestDatabase } from '../support/postgres.ts'
import { createTestRedis, type TestRedis } from '../support/redis.ts'
import { waitFor } from '../support/wait.ts'

const ROOT = join(import.meta.dir, '..', '..')
const kind = (name: string) => CONTROLLED_KINDS.find((k) => k.kind === name)!
setLogLevel('error')
const log = createLogger({ test: 'controller' })

let db: TestDatabase
let redis: TestRedis
let storage: Storage
let apply: ApplyDeps
let store: ControllerStore
/** The cluster as the reconciler leaves it: each object with the status last written. */
const cluster = new Map<string, CustomResource>()
const writes: Array<{ name: string; status: ResourceStatus }> = []
let reconciler: Reconciler

beforeAll(async () => {
  db = await createTestDatabase()
  redis = await createTestRedis()
  storage = createStorage(db.sql, redis.client, redis.prefix)
  apply = { resources: storage.resources, builtinTools: BUILTIN_TOOLS }
  store = {
    resources: storage.resources,
    routingRejections: storage.routingRejections,
    apply: async (input) => {
      const { resource, changed } = await applyResource(apply, { kind: 'operator', by: CONTROLLER_BY }, input)
      return { tenantId: resource.tenantId, version: resource.version, changed }
    },
  }
  reconciler = createReconciler({
    store, log, retryMs: 50,
    writeStatus: async (k, obj, status) => {
      writes.push({ name: `${k.kind}/${obj.metadata!.name}`, status })
      cluster.set(`${k.kind}/${obj.metadata!.name}`, { ...obj, status })
    },
  })
})

afterAll(async () => {
  reconciler.reset()
  await redis.cleanup()
  await db.drop()
})

/** A custom resource as the API server would send it, carrying the status the cluster holds for it. */
function cr(kindName: string, name: string, spec: unknown, generation = 1): CustomResource {
  const status = cluster.get(`${kindName}/${name}`)?.status
  return { apiVersion: 'switchboard.dev/v1alpha1', kind: kindName, metadata: { name, namespace: 'switchboard', generation }, spec, ...(status ? { status } : {}) }
}

const accepted = (name: string) => (cluster.get(name)?.status as ResourceStatus | undefined)?.conditions[0]
const TOOL = {
  tenant: 'acme', description: 'Where a parcel is.', type: 'READ',
  parameters: { type: 'object', properties: { tracking_number: { type: 'string' } }, required: ['tracking_number'] },
  http: { url: 'https://carrier.example.com/v2/parcels', method: 'GET' },
}
const AGENT = { tenant: 'acme', instructions: 'Track parcels with track_parcel.', tools: ['track_parcel'] }

describe('reconciling custom resources into the store', () => {
  test('an Agent refused for a Tool not there yet is accepted once the Tool is applied', async () => {
    const early = await reconciler.reconcile(kind('Agent'), cr('Agent', 'tracking', AGENT))
    expect(early).toMatchObject({ accepted: false, reason: 'Invalid' })
    expect(accepted('Agent/tracking')).toMatchObject({ status: 'False', reason: 'Invalid', observedGeneration: 1 })
    expect(accepted('Agent/tracking')!.message).toContain('/spec/tools/0')
    expect(await storage.resources.get({ tenantId: 'acme', kind: 'Agent', name: 'tracking' })).toBeUndefined()

    await reconciler.reconcile(kind('Tool'), cr('Tool', 'track_parcel', TOOL))
    expect(cluster.get('Tool/track_parcel')!.status).toMatchObject({ appliedVersion: 1, tenant: 'acme', conditions: [{ status: 'True', reason: 'Applied' }] })
    expect(accepted('Agent/tracking')).toMatchObject({ status: 'True', reason: 'Applied' })
    const stored = await storage.resources.get({ tenantId: 'acme', kind: 'Agent', name: 'tracking' })
    expect(stored).toMatchObject({ version: 1, createdBy: 'controller', spec: { tools: ['track_parcel'] } })
  })

  test('the same spec again writes no version and no status', async () => {
    const before = writes.length
    const outcome = await reconciler.reconcile(kind('Tool'), cr('Tool', 'track_parcel', TOOL))
    expect(outcome).toMatchObject({ accepted: true, changed: false, version: 1 })
    expect(writes.length).toBe(before)
    expect((await storage.resources.history({ tenantId: 'acme', kind: 'Tool', name: 'track_parcel' })).length).toBe(1)
  })

  test('a changed spec is a new version; a refused change keeps the version in force and says why', async () => {
    await reconciler.reconcile(kind('Agent'), cr('Agent', 'tracking', { ...AGENT, instructions: 'Be brief.' }, 2))
    expect(cluster.get('Agent/tracking')!.status).toMatchObject({ observedGeneration: 2, appliedVersion: 2, conditions: [{ status: 'True' }] })
    const broken = { ...AGENT, tools: 'track_parcel', mode: 'sometimes' }
    await reconciler.reconcile(kind('Agent'), cr('Agent', 'tracking', broken, 3))
    const status = cluster.get('Agent/tracking')!.status as ResourceStatus
    expect(status).toMatchObject({ observedGeneration: 3, appliedVersion: 2, conditions: [{ status: 'False', reason: 'Invalid', observedGeneration: 3 }] })
    expect(status.conditions[0]!.message).toContain('/spec/tools')
    expect(status.conditions[0]!.message).toContain('/spec/mode')
    expect((await storage.resources.get({ tenantId: 'acme', kind: 'Agent', name: 'tracking' }))!.version).toBe(2)
  })

  test('a spec without a tenant is the platform\'s; an AgentPolicy is checked against the catalogue', async () => {
    const policy = parseAllDocuments(readFileSync(join(ROOT, 'demo/resources/demo-policy.yaml'), 'utf8'))[0]!.toJS()
    await reconciler.reconcile(kind('AgentPolicy'), cr('AgentPolicy', 'retail', policy.spec))
    expect(cluster.get('AgentPolicy/retail')!.status).toMatchObject({ tenant: '*', appliedVersion: 1, conditions: [{ status: 'True' }] })
    const unknownTool = { ...policy.spec, tools: [{ name: 'x', tools: ['no_such_tool'] }] }
    await reconciler.reconcile(kind('AgentPolicy'), cr('AgentPolicy', 'retail', unknownTool, 2))
    expect(accepted('AgentPolicy/retail')).toMatchObject({ status: 'False', reason: 'Invalid' })
    expect(accepted('AgentPolicy/retail')!.message).toContain('no_such_tool')
  })

  test('deleting a custom resource deletes what the controller applied, not what someone changed since', async () => {
    await reconciler.removed(kind('Agent'), cr('Agent', 'tracking', AGENT))
    expect((await storage.resources.get({ tenantId: 'acme', kind: 'Agent', name: 'tracking' }))?.spec ?? null).toBeNull()

    await storage.resources.apply({ tenantId: 'acme', kind: 'Tool', name: 'track_parcel', spec: { ...TOOL, description: 'Edited through the API.' }, by: 'key:k1' })
    await reconciler.removed(kind('Tool'), cr('Tool', 'track_parcel', TOOL))
    expect(await storage.resources.get({ tenantId: 'acme', kind: 'Tool', name: 'track_parcel' })).toMatchObject({ createdBy: 'key:k1' })
  })

  test('routing and retention policies are applied to the store like every kind; invalid ones say where', async () => {
    for (const doc of parseAllDocuments(readFileSync(join(ROOT, 'retention/default.yaml'), 'utf8')).map((d) => d.toJS())) {
      await reconciler.reconcile(kind('RetentionPolicy'), cr('RetentionPolicy', doc.metadata.name, doc.spec))
      expect(cluster.get(`RetentionPolicy/${doc.metadata.name}`)!.status).toMatchObject({ appliedVersion: 1, tenant: '*', conditions: [{ status: 'True', reason: 'Applied' }] })
      expect(await storage.resources.get({ tenantId: '*', kind: 'RetentionPolicy', name: doc.metadata.name })).toMatchObject({ createdBy: 'controller' })
    }
    const clash = { version: 1, tenant: '*', agent: 'outreach', hot: { ttlSeconds: 60 }, warm: {}, cold: {} }
    await reconciler.reconcile(kind('RetentionPolicy'), cr('RetentionPolicy', 'second-outreach', clash))
    expect(accepted('RetentionPolicy/second-outreach')).toMatchObject({ status: 'False', reason: 'Invalid' })
    expect(accepted('RetentionPolicy/second-outreach')!.message).toContain('/spec/agent: RetentionPolicy "outreach" already selects agent "outreach"')

    const routing = parseAllDocuments(readFileSync(join(ROOT, 'policies/routing.example.yaml'), 'utf8'))[0]!.toJS()
    await reconciler.reconcile(kind('RoutingPolicy'), cr('RoutingPolicy', 'r', routing.spec))
    expect(cluster.get('RoutingPolicy/r')!.status).toMatchObject({ appliedVersion: 1, tenant: '*', conditions: [{ status: 'True', reason: 'Applied' }] })
    await reconciler.reconcile(kind('RoutingPolicy'), cr('RoutingPolicy', 'r', { ...routing.spec, version: '' }, 2))
    expect(cluster.get('RoutingPolicy/r')!.status).toMatchObject({ appliedVersion: 1, conditions: [{ status: 'False', reason: 'Invalid', observedGeneration: 2 }] })
    expect(accepted('RoutingPolicy/r')!.message).toContain('/spec/version')
    await reconciler.reconcile(kind('RoutingPolicy'), cr('RoutingPolicy', 'r', { ...routing.spec, rules: [{ name: 'x', match: {}, chain: ['gpt-5'] }] }, 3))
    expect(accepted('RoutingPolicy/r')!.message).toContain('/spec/rules/0/chain/0: unknown model "gpt-5"')
    expect((await storage.resources.get({ tenantId: '*', kind: 'RoutingPolicy', name: 'r' }))!.version).toBe(1)
    await reconciler.reconcile(kind('RoutingPolicy'), cr('RoutingPolicy', 'r', { ...routing.spec, version: 'v2' }, 4))
    expect(cluster.get('RoutingPolicy/r')!.status).toMatchObject({ appliedVersion: 2, conditions: [{ status: 'True' }] })
    await reconciler.removed(kind('RoutingPolicy'), cr('RoutingPolicy', 'r', routing.spec))
    expect(await storage.resources.get({ tenantId: '*', kind: 'RoutingPolicy', name: 'r' })).toBeUndefined()
  })
})

describe("the workers' refusals of a RoutingPolicy", () => {
  const routing = () => parseAllDocuments(readFileSync(join(ROOT, 'policies/routing.example.yaml'), 'utf8'))[0]!.toJS()
  // A copy: matchers must never touch the status the reconciler keeps.
  const conditions = () => structuredClone((cluster.get('RoutingPolicy/refusable')!.status as ResourceStatus).conditions)
  const refuse = (worker: string, revision: number, keeps?: number) => storage.routingRejections.report(worker, [{
    name: 'refusable', revision, message: 'rule "support" names provider "anthropic", which this worker does not have (it has: local)', ...(keeps ? { keeps } : {}),
  }], 60_000)

  test('show as Loaded=False on the version in force, name the workers, and go when the refusals do', async () => {
    await reconciler.reconcile(kind('RoutingPolicy'), cr('RoutingPolicy', 'refusable', routing().spec))
    expect(conditions().map((c) => c.type)).toEqual(['Accepted'])
    await refuse('worker-a', 1)
    await refuse('worker-b', 1)
    await reconciler.refreshRefusals()
    expect(conditions()).toEqual([
      expect.objectContaining({ type: 'Accepted', status: 'True' }),
      {
        type: 'Loaded', status: 'False', reason: 'Rejected', observedGeneration: 1, lastTransitionTime: expect.stringMatching(/Z$/),
        message: 'version 1 is refused by 2 workers (worker-a, worker-b), which run no version of it: rule "support" names provider "anthropic", which this worker does not have (it has: local)',
      },
    ])
    // Nothing new: no status write.
    const before = writes.length
    await reconciler.refreshRefusals()
    expect(writes.length).toBe(before)

    // A new version: the refusals of the old one are stale, and a worker's refusal of the new one names what it keeps.
    await reconciler.reconcile(kind('RoutingPolicy'), cr('RoutingPolicy', 'refusable', { ...routing().spec, version: 'v2' }, 2))
    expect(conditions().map((c) => c.type)).toEqual(['Accepted'])
    await refuse('worker-a', 2, 1)
    await reconciler.refreshRefusals()
    expect(conditions()[1]).toMatchObject({ type: 'Loaded', observedGeneration: 2, message: expect.stringContaining('version 2 is refused by 1 worker (worker-a), which keeps version 1:') })

    await storage.routingRejections.report('worker-a', [], 60_000)
    await reconciler.refreshRefusals()
    expect(conditions().map((c) => c.type)).toEqual(['Accepted'])
  })

  test('reports that cannot be read leave the Loaded condition as it was', async () => {
    await refuse('worker-c', 2)
    await reconciler.refreshRefusals()
    expect(conditions()[1]).toMatchObject({ type: 'Loaded', message: expect.stringContaining('(worker-c)') })
    // A controller whose Redis is down: no connection, and no queue to wait in.
    const down = new Redis('redis://127.0.0.1:1', { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0 })
    down.on('error', () => {}) // refused, as meant
    const blind = createReconciler({
      store: { ...store, routingRejections: createRoutingRejections(down, redis.prefix) }, log,
      writeStatus: async (k, obj, status) => {
        writes.push({ name: `${k.kind}/${obj.metadata!.name}`, status })
        cluster.set(`${k.kind}/${obj.metadata!.name}`, { ...obj, status })
      },
    })
    const before = writes.length
    await blind.reconcile(kind('RoutingPolicy'), cr('RoutingPolicy', 'refusable', { ...routing().spec, version: 'v2' }, 2))
    await blind.refreshRefusals()
    expect(writes.length).toBe(before)
    expect(conditions()[1]?.message).toContain('(worker-c)')
    blind.reset()
    down.disconnect()
    await storage.routingRejections.report('worker-c', [], 60_000)
  })

  test('a deleted RoutingPolicy is no longer refreshed', async () => {
    await reconciler.removed(kind('RoutingPolicy'), cr('RoutingPolicy', 'refusable', routing().spec, 2))
    await refuse('worker-a', 2)
    const before = writes.length
    await reconciler.refreshRefusals()
    expect(writes.length).toBe(before)
    await storage.routingRejections.report('worker-a', [], 60_000)
  })
})

test('a store that fails leaves the condition Unknown without its error, and is tried again', async () => {
  let failures = 1
  const flaky: ControllerStore = {
    ...store,
    apply: async (input) => {
      if (failures-- > 0) throw Object.assign(new Error('connect ECONNREFUSED 10.0.0.7:5432 password=hunter2'), { code: 'ECONNREFUSED' })
      return store.apply(input)
    },
  }
  const local = new Map<string, ResourceStatus>()
  const r = createReconciler({ store: flaky, log, retryMs: 50, writeStatus: async (_k, obj, status) => void local.set(obj.metadata!.name!, status) })
  const first = await r.reconcile(kind('Tool'), cr('Tool', 'flaky_tool', TOOL))
  expect(first).toMatchObject({ accepted: false, reason: 'Retrying' })
  expect(local.get('flaky_tool')!.conditions[0]).toMatchObject({ status: 'Unknown', reason: 'Retrying' })
  expect(JSON.stringify(local.get('flaky_tool'))).not.toContain('hunter2')
  const retried = await waitFor(async () => local.get('flaky_tool')?.conditions[0]?.status === 'True' && local.get('flaky_tool'), 10_000, 'the retry')
  expect(retried).toMatchObject({ appliedVersion: 1, tenant: 'acme' })
  r.reset()
})
