// RoutingPolicy and RetentionPolicy as resources of the versioned store, through the API and the files: the
// ROUTING_POLICY and RETENTION_POLICIES files land in the store (and a file edit is a new version), tenants read
// routing policies but only the operator writes them, a tenant declares its own retention policies, and a bad
// document is a 422 naming each path. Every change takes effect in the running process without a restart.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runAdminCommand } from '../../api/index.ts'
import { BUILTIN_TOOLS } from '../../platform-resources.ts'
import { waitFor } from '../support/wait.ts'
import { startAgentsHarness, TENANT, type AgentsHarness } from './harness.ts'

const ROOT = join(import.meta.dir, '..', '..')
const policy = (version: string) => `
apiVersion: switchboard.dev/v1alpha1
kind: RoutingPolicy
metadata: { name: house }
spec:
  version: "${version}"
  models: { local: { provider: local, pricePerMTok: { input: 0, output: 0 } } }
  rules: []
  default: { chain: [local] }
`
let h: AgentsHarness
const ADMIN_TOKEN = 'operator-token-for-policy-resources-test'
/** A request with the operator's admin token. */
async function asOperator(method: string, path: string, body?: unknown) {
  const payload = body === undefined ? undefined : JSON.stringify(body)
  const headers: Record<string, string> = { authorization: `Bearer ${ADMIN_TOKEN}`, ...(payload ? { 'content-type': 'application/json' } : {}) }
  const res = await h.platform.app!.handle(new Request(`http://localhost${path}`, { method, headers, body: payload }))
  const text = await res.text()
  return { status: res.status, body: text ? JSON.parse(text) : undefined }
}
const dir = mkdtempSync(join(tmpdir(), 'policy-resources-'))
const file = join(dir, 'routing.yaml')

beforeAll(async () => {
  writeFileSync(file, policy('h1'))
  h = await startAgentsHarness({
    ROUTING_POLICY: file, RETENTION_POLICIES: join(ROOT, 'retention/default.yaml'), ROUTING_POLICY_POLL_MS: '100', SWITCHBOARD_ADMIN_TOKEN: ADMIN_TOKEN,
  })
})
afterAll(async () => {
  await h.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('RoutingPolicy', () => {
  test('the ROUTING_POLICY file is a platform resource every tenant reads; an edit of the file is a new version', async () => {
    const list = await h.call('GET', '/v1/routingpolicies')
    expect(list.status).toBe(200)
    expect(list.body.data).toMatchObject([{ name: 'house', kind: 'RoutingPolicy', scope: 'platform', version: 1 }])
    expect(list.body.data[0].updatedBy).toEndWith('routing.yaml')

    writeFileSync(file, policy('h2'))
    await waitFor(async () => (await h.call('GET', '/v1/routingpolicies/house')).body.version === 2, 10_000, 'the edited file applied')
    const diff = await h.call('GET', '/v1/routingpolicies/house/diff?from=1&to=2')
    expect(diff.body.changes).toEqual([{ path: '/version', op: 'changed', before: 'h1', after: 'h2' }])
    expect((await h.call('GET', '/v1/routingpolicies/house/versions')).body.data.map((v: { version: number }) => v.version)).toEqual([2, 1])
  })

  test('an agent names a routing policy in force, or is refused naming the field', async () => {
    const missing = await h.call('PUT', '/v1/agents/routed', { spec: { instructions: 'Help.', model: { routingPolicy: 'nowhere' } } })
    expect(missing.status).toBe(422)
    expect(missing.body.error.details).toEqual([{ path: '/spec/model/routingPolicy', message: 'no RoutingPolicy "nowhere" in force' }])
    expect((await h.call('PUT', '/v1/agents/routed', { spec: { instructions: 'Help.', model: { routingPolicy: 'house' } } })).status).toBe(200)
  })

  test('a tenant key may not write, delete or restore a platform document', async () => {
    for (const [method, path, body] of [
      ['PUT', '/v1/routingpolicies/house', { spec: { version: 'mine' } }],
      ['POST', '/v1/routingpolicies', { name: 'mine', spec: {} }],
      ['DELETE', '/v1/routingpolicies/house', undefined],
      ['POST', '/v1/routingpolicies/house/restore', { version: 1 }],
    ] as const) {
      const res = await h.call(method, path, body)
      expect(res.status, `${method} ${path}`).toBe(403)
      expect(res.body.error.code).toBe('auth.forbidden')
    }
    expect((await h.call('GET', '/v1/routingpolicies/house')).body.version).toBe(2)
  })

  test('the operator writes one over HTTP with the admin token; a bad one is a 422 naming each path', async () => {
    const spec = { version: 'o1', models: { local: { provider: 'local', pricePerMTok: { input: 0, output: 0 } } }, rules: [], default: { chain: ['local'] } }
    const created = await asOperator('PUT', '/v1/admin/routingpolicies/operated', { spec })
    expect(created.status).toBe(200)
    expect(created.body).toMatchObject({ name: 'operated', scope: 'platform', version: 1, updatedBy: 'admin-token' })
    const bad = await asOperator('PUT', '/v1/admin/routingpolicies/operated', { spec: { ...spec, tenant: 'acme', default: { chain: ['gpt-5'] } } })
    expect(bad.status).toBe(422)
    expect(bad.body.error.details.map((d: { path: string }) => d.path)).toEqual(['/spec/tenant'])
    const unknownModel = await asOperator('PUT', '/v1/admin/routingpolicies/operated', { spec: { ...spec, default: { chain: ['gpt-5'] } } })
    expect(unknownModel.body.error.details).toEqual([{ path: '/spec/default/chain/0', message: 'unknown model "gpt-5"' }])
    expect((await h.call('GET', '/v1/routingpolicies/operated')).body.version).toBe(1)
    expect((await asOperator('DELETE', '/v1/admin/routingpolicies/operated')).body).toMatchObject({ deleted: true, version: 2 })
    // The operator's token is not a tenant's: a tenant's kinds stay the tenant's to write.
    expect((await asOperator('PUT', '/v1/retentionpolicies/x', { spec: {} })).status).toBe(401)
    expect((await h.call('PUT', '/v1/admin/routingpolicies/operated', { spec })).status).toBe(401)
  })

  test('the operator applies one with the CLI; a bad one is refused naming each path', async () => {
    const deps = { apply: { resources: h.platform.storage.resources, builtinTools: BUILTIN_TOOLS }, storage: h.platform.storage, dequeue: async () => 0, readSecret: async () => '' }
    const example = join(ROOT, 'policies/routing.example.yaml')
    const applied = await runAdminCommand(deps, ['apply', example]) as Array<{ name: string; version: number; scope: string }>
    expect(applied).toMatchObject([{ name: 'retail-default', version: 1, scope: 'platform' }])
    const bad = join(dir, 'bad.yaml')
    writeFileSync(bad, readFileSync(example, 'utf8').replace('chain: [local]', 'chain: [gpt-5]').replace('requestsPerMinute: 500', 'requestsPerMinute: 0'))
    await expect(runAdminCommand(deps, ['apply', bad])).rejects.toThrow('/spec/providers/openai/requestsPerMinute')
    writeFileSync(bad, readFileSync(example, 'utf8').replace('chain: [local]', 'chain: [gpt-5]'))
    await expect(runAdminCommand(deps, ['apply', bad])).rejects.toThrow('/spec/rules/0/chain/0: unknown model "gpt-5"')
    const history = await runAdminCommand(deps, ['history', '*', 'routingpolicies', 'house']) as Array<{ version: number; changes: unknown[] }>
    expect(history.map((v) => v.version)).toEqual([2, 1])
    expect(await runAdminCommand(deps, ['rollback', '*', 'RoutingPolicy', 'house', '1'])).toMatchObject({ version: 3, changed: true, spec: { version: 'h1' } })
  })
})

describe('deleting what agents still name', () => {
  test('a routing policy an agent names is a 409 naming the agent, and deletes once no agent names it', async () => {
    const spec = { version: 'k1', models: { local: { provider: 'local', pricePerMTok: { input: 0, output: 0 } } }, rules: [], default: { chain: ['local'] } }
    expect((await asOperator('PUT', '/v1/admin/routingpolicies/kept', { spec })).status).toBe(200)
    await h.put('agents', 'kept-by', { instructions: 'Help.', model: { routingPolicy: 'kept' } })
    const refused = await asOperator('DELETE', '/v1/admin/routingpolicies/kept')
    expect(refused.status).toBe(409)
    expect(refused.body.error).toMatchObject({ code: 'conflict', message: `RoutingPolicy kept is still named by Agent kept-by (tenant ${TENANT}): change or delete those first` })
    expect((await h.call('GET', '/v1/routingpolicies/kept')).body.version).toBe(1)

    expect((await h.call('DELETE', '/v1/agents/kept-by')).status).toBe(200)
    expect((await asOperator('DELETE', '/v1/admin/routingpolicies/kept')).body).toMatchObject({ deleted: true, version: 2 })
  })

  test("a tenant's agent policy its agent names is a 409, unless the platform's of that name takes its place", async () => {
    const retail = (await h.call('GET', '/v1/agentpolicies/retail')).body.spec
    await h.put('agentpolicies', 'strict', { ...retail, tenant: undefined, version: 'strict-1' })
    await h.put('agents', 'strict-agent', { instructions: 'Help.', model: { routingPolicy: 'house' }, policy: 'strict' })
    const refused = await h.call('DELETE', '/v1/agentpolicies/strict')
    expect(refused.status).toBe(409)
    expect(refused.body.error.message).toStartWith('AgentPolicy strict is still named by Agent strict-agent:')

    // The tenant's own copy of the platform's policy: deleting it leaves the platform's in force, so nothing breaks.
    await h.put('agentpolicies', 'retail', { ...retail, tenant: undefined, version: 'own-retail' })
    await h.put('agents', 'retail-agent', { instructions: 'Help.', model: { routingPolicy: 'house' }, policy: 'retail' })
    expect((await h.call('DELETE', '/v1/agentpolicies/retail')).status).toBe(200)
    expect((await h.call('GET', '/v1/agentpolicies/retail')).body.spec.version).not.toBe('own-retail')
  })
})

describe('RetentionPolicy', () => {
  test('the RETENTION_POLICIES file is in force as platform resources', async () => {
    const list = await h.call('GET', '/v1/retentionpolicies')
    expect(list.body.data.map((r: { name: string; scope: string }) => `${r.name} ${r.scope}`)).toEqual(['default platform', 'outreach platform'])
    expect(h.platform.storage.retentionResolver.resolve(TENANT, 'outreach')).toMatchObject({ policy: 'outreach@1', coldMs: 0 })
  })

  test('a tenant declares its own policy, which takes effect at once for its conversations only', async () => {
    const created = await h.call('PUT', '/v1/retentionpolicies/short-lived', { spec: { version: 1, hot: { ttlSeconds: 120 }, warm: { days: 7 }, cold: { days: 30 } } })
    expect(created.status).toBe(200)
    expect(created.body).toMatchObject({ scope: 'tenant', version: 1, spec: { tenant: TENANT, agent: '*' } })
    await waitFor(async () => h.platform.storage.retentionResolver.resolve(TENANT, 'demo').policy === 'short-lived@1', 10_000, 'the tenant policy in force')
    expect(h.platform.storage.retentionResolver.resolve('someone-else', 'demo').policy).toBe('default@1')
    const names = (await h.call('GET', '/v1/retentionpolicies')).body.data.map((r: { name: string }) => r.name)
    expect(names).toEqual(['default', 'outreach', 'short-lived'])
  })

  test('a bad document is a 422 naming each path; another tenant or a taken selector is refused', async () => {
    const bad = await h.call('PUT', '/v1/retentionpolicies/broken', { spec: { version: 0, hot: {}, warm: { days: -1 }, cold: {}, colde: {} } })
    expect(bad.status).toBe(422)
    expect(bad.body.error.code).toBe('resource.invalid')
    const paths = bad.body.error.details.map((d: { path: string }) => d.path)
    for (const path of ['/spec/version', '/spec/hot/ttlSeconds', '/spec/warm/days', '/spec/colde']) expect(paths).toContain(path)

    const foreign = await h.call('PUT', '/v1/retentionpolicies/foreign', { spec: { version: 1, tenant: 'other', hot: { ttlSeconds: 1 }, warm: {}, cold: {} } })
    expect(foreign.status).toBe(422)
    expect(foreign.body.error.details).toEqual([{ path: '/spec/tenant', message: `must be absent or "${TENANT}" (the caller's tenant)` }])

    const twice = await h.call('PUT', '/v1/retentionpolicies/again', { spec: { version: 1, hot: { ttlSeconds: 60 }, warm: {}, cold: {} } })
    expect(twice.status).toBe(422)
    expect(twice.body.error.details[0]).toMatchObject({ path: '/spec/agent' })
  })

  test('an earlier version is restored as a new version, and in force at once', async () => {
    await h.put('retentionpolicies', 'short-lived', { version: 2, hot: { ttlSeconds: 120 }, warm: { days: 14 }, cold: { days: 30 } })
    const restored = await h.call('POST', '/v1/retentionpolicies/short-lived/restore', { version: 1 })
    expect(restored.body).toMatchObject({ version: 3, changed: true, spec: { version: 1, warm: { days: 7 } } })
    await waitFor(async () => h.platform.storage.retentionResolver.resolve(TENANT, 'demo').warmMs === 7 * 86_400_000, 10_000, 'the restored version')
  })
})
