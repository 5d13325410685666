// Retention policies: resolution, the RetentionPolicy resources of the versioned store reaching the resolver
// without a restart, and the job purging at each tier, idempotently.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { applyResource, type ApplyDeps } from '../../api/index.ts'
import { AppError } from '../../lib/errors.ts'
import { createLogger, setLogLevel } from '../../lib/log.ts'
import { createRetentionResolver, watchRetentionPolicies, type Storage } from '../../storage/index.ts'
import { waitFor } from '../support/wait.ts'
import { createTiersFixture, recordToolCall, retentionPolicies, script, type TiersFixture } from './tiers-fixture.ts'

let fx: TiersFixture
const DAY = 86_400_000

const policy = (name: string, spec: string) => `---
apiVersion: switchboard.dev/v1alpha1
kind: RetentionPolicy
metadata: { name: ${name} }
spec: { version: 2, ${spec} }
`
const POLICIES = retentionPolicies([
  policy('hot-only', 'tenant: t-hot, hot: { ttlSeconds: 1 }, warm: {}, cold: {}'),
  policy('tiered', 'tenant: t-tiered, hot: { ttlSeconds: 60 }, warm: { days: 10 }, cold: { days: 100 }'),
  policy('no-cold', 'tenant: t-tiered, agent: outreach, hot: { ttlSeconds: 60 }, warm: { days: 5 }, cold: { days: 0 }'),
].join(''))

let storage: Storage
beforeAll(async () => {
  fx = await createTiersFixture()
  storage = await fx.open({ retentionPolicies: POLICIES, hotTtlMs: 3_600_000 })
})
afterAll(() => fx.close())

const toolCalls = async (id: string) => (await fx.db.sql`select count(*)::int as n from tool_calls where conversation_id = ${id}`)[0]!.n as number

describe('retention policies', () => {
  test('the shipped examples parse', () => {
    const shipped = retentionPolicies(readFileSync(join(import.meta.dir, '../../retention/default.yaml'), 'utf8'))
    expect(shipped.map((p) => `${p.metadata.name} ${p.spec.tenant}/${p.spec.agent}`)).toEqual(['default */*', 'outreach */outreach'])
  })

  test('an invalid policy is refused naming the path', () => {
    expect(() => retentionPolicies(policy('x', 'warm: {}, cold: {}'))).toThrow('/spec/hot')
  })

  test('the most specific policy wins and names its version', () => {
    const resolver = createRetentionResolver(POLICIES, 5000)
    expect(resolver.resolve('t-tiered', 'outreach')).toMatchObject({ policy: 'no-cold@2', coldMs: 0, warmMs: 5 * DAY })
    expect(resolver.resolve('t-tiered', 'demo')).toMatchObject({ policy: 'tiered@2', coldMs: 100 * DAY })
    expect(resolver.resolve('elsewhere', 'demo')).toEqual({ policy: 'none', hotTtlMs: 5000 })
  })
})

describe('retention policies from the versioned store', () => {
  test('an applied, changed or deleted RetentionPolicy reaches the resolver without a restart; a second policy for one selector is refused', async () => {
    setLogLevel('error')
    const s = await fx.open({ hotTtlMs: 5000 })
    const deps: ApplyDeps = { resources: s.resources, builtinTools: [] }
    const operator = { kind: 'operator' as const, by: 'test' }
    const spec = { version: 1, tenant: 't-store', hot: { ttlSeconds: 30 }, warm: { days: 3 }, cold: {} }
    const source = await watchRetentionPolicies({ resources: s.resources, resolver: s.retentionResolver, refreshMs: 50, log: createLogger() })
    const resolved = (agent = 'demo') => s.retentionResolver.resolve('t-store', agent)
    try {
      expect(resolved()).toEqual({ policy: 'none', hotTtlMs: 5000 })
      await applyResource(deps, operator, { kind: 'RetentionPolicy', name: 'store-a', spec })
      await waitFor(async () => resolved().policy === 'store-a@1', 5000, 'the applied policy')
      expect(resolved()).toMatchObject({ hotTtlMs: 30_000, warmMs: 3 * DAY })

      await applyResource(deps, operator, { kind: 'RetentionPolicy', name: 'store-a', spec: { ...spec, version: 2, warm: { days: 4 } } })
      await waitFor(async () => resolved().policy === 'store-a@2', 5000, 'the changed policy')
      expect(resolved().warmMs).toBe(4 * DAY)

      const clash = applyResource(deps, operator, { kind: 'RetentionPolicy', name: 'store-b', spec })
      await expect(clash).rejects.toThrow('/spec/agent: RetentionPolicy "store-a" already selects agent "*" of tenant t-store')
      // A tenant's own key declares its policies; the selector's tenant is always the caller.
      await applyResource(deps, { kind: 'tenant', tenantId: 't-store', by: 'key:k' }, {
        kind: 'RetentionPolicy', name: 'outreach', spec: { version: 1, agent: 'outreach', hot: { ttlSeconds: 10 }, warm: { days: 1 }, cold: { days: 0 } },
      })
      await waitFor(async () => resolved('outreach').policy === 'outreach@1', 5000, 'the tenant\'s policy')
      const foreign = applyResource(deps, { kind: 'tenant', tenantId: 't-store', by: 'key:k' }, { kind: 'RetentionPolicy', name: 'x', spec: { ...spec, tenant: 'other' } })
      await expect(foreign).rejects.toBeInstanceOf(AppError)

      await s.resources.delete({ tenantId: 't-store', kind: 'RetentionPolicy', name: 'store-a' }, 'test')
      await waitFor(async () => resolved().policy === 'none', 5000, 'the deleted policy')
    } finally {
      source.close()
    }
  })
})

describe('retention job', () => {
  test('hot: the TTL of the policy applies, and the job shortens TTLs set under an older policy', async () => {
    await storage.sessions.append(script('h-1', 2), { tenantId: 't-hot' })
    const key = `${fx.redis.prefix}:session:h-1`
    expect(await fx.redis.client.pttl(key)).toBeLessThanOrEqual(1000)
    await waitFor(async () => (await fx.redis.client.exists(key)) === 0, 5000, 'hot TTL expiry')
    const lenient = await fx.open({ hotTtlMs: 3_600_000 })
    await lenient.sessions.load('h-1')
    expect(await fx.redis.client.pttl(key)).toBeGreaterThan(1000)
    expect((await storage.retention.runOnce()).hotClamped).toBeGreaterThanOrEqual(1)
    expect(await fx.redis.client.pttl(key)).toBeLessThanOrEqual(1000)
  })

  test('warm then cold then purge, each after its span; reruns change nothing', async () => {
    await storage.sessions.append(script('w-1', 4), { tenantId: 't-tiered' })
    await recordToolCall(fx.db.sql, 'w-1', 'w-1-0')
    expect((await storage.retention.runOnce(new Date(Date.now() + 9 * DAY))).archived).toBe(0)
    const archiving = await storage.retention.runOnce(new Date(Date.now() + 11 * DAY))
    expect(archiving).toMatchObject({ archived: 1, byPolicy: { 'tiered@2': 1 } })
    expect(await storage.messages.list('w-1')).toEqual([])
    expect(await toolCalls('w-1')).toBe(0)
    expect(JSON.parse((await storage.archiver.readDoc('w-1'))!.doc).tables.tool_calls).toHaveLength(1)
    expect(await storage.blobs.list('conversations/t-tiered/w-1.')).toHaveLength(1)
    expect((await storage.retention.runOnce(new Date(Date.now() + 11 * DAY))).archived).toBe(0)
    expect((await storage.retention.runOnce(new Date(Date.now() + 99 * DAY))).purgedCold).toBe(0)
    expect((await storage.retention.runOnce(new Date(Date.now() + 101 * DAY))).purgedCold).toBe(1)
    expect(await storage.blobs.list('conversations/t-tiered/w-1.')).toEqual([])
    expect(await storage.conversations.get('w-1')).toBeUndefined()
    expect(await storage.sessions.load('w-1')).toEqual({ tier: 'none', messages: [] })
  })

  test('cold days 0: warm data is purged at the end of warm, never archived', async () => {
    await storage.sessions.append(script('o-1', 4), { tenantId: 't-tiered', agent: 'outreach' })
    await recordToolCall(fx.db.sql, 'o-1', 'o-1-0')
    await storage.events.publish({ id: 'e1', type: 'reply.completed', conversationId: 'o-1', data: { text: 'hi' }, at: Date.now() })
    const report = await storage.retention.runOnce(new Date(Date.now() + 6 * DAY))
    expect(report).toMatchObject({ purgedWarm: 1, archived: 0, byPolicy: { 'no-cold@2': 1 } })
    expect(await storage.messages.list('o-1')).toEqual([])
    expect(await toolCalls('o-1')).toBe(0)
    expect(await fx.redis.client.exists(`${fx.redis.prefix}:session:o-1`, storage.events.streamKey('o-1'))).toBe(0)
    expect(await storage.blobs.list('conversations/t-tiered/o-1.')).toEqual([])
  })

  test('Idempotency-Key records are dropped a day after they were written, and only then', async () => {
    const request = { tenantId: 't-idem', key: `k-${crypto.randomUUID()}`, fingerprint: 'f' }
    await storage.idempotency.once(request, async () => ({ status: 202, body: { id: 'msg-1' } }))
    const count = async () => (await fx.db.sql`select count(*)::int as n from idempotency_keys where key = ${request.key}`)[0]!.n
    await storage.retention.runOnce(new Date(Date.now() + 23 * 3_600_000))
    expect(await count()).toBe(1)
    expect((await storage.retention.runOnce(new Date(Date.now() + 25 * 3_600_000))).idempotencyKeysPurged).toBeGreaterThanOrEqual(1)
    expect(await count()).toBe(0)
  })

  test('conversations with no matching policy are kept', async () => {
    await storage.sessions.append(script('k-1', 2), { tenantId: 'unlisted' })
    await storage.retention.runOnce(new Date(Date.now() + 10_000 * DAY))
    expect(await storage.messages.list('k-1')).toHaveLength(2)
  })
})
