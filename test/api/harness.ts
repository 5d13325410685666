// An in-process platform (API and workers, instant echo provider) on its own schema and prefix, with two
// tenants and their keys, and a request helper over app.handle.
import { SCOPES, type Scope } from '../../storage/index.ts'
import { startPlatform, type Platform, type PlatformSeams } from '../../platform.ts'
import { testConfig } from '../support/platform.ts'
import { createTestDatabase, type TestDatabase } from '../support/postgres.ts'
import { createTestRedis, type TestRedis } from '../support/redis.ts'

export const ADMIN_TOKEN = 'operator-token-for-tests-0123456789'

export interface TestTenant {
  id: string
  key: string
}

export interface Reply {
  status: number
  body: any
  headers: Headers
}

export interface CallOptions {
  key?: string | null
  body?: unknown
  raw?: string
  headers?: Record<string, string>
}

export interface ApiHarness {
  platform: Platform
  db: TestDatabase
  redis: TestRedis
  a: TestTenant
  b: TestTenant
  call(method: string, path: string, options?: CallOptions): Promise<Reply>
  tenant(id: string, scopes?: Scope[], rateLimitPerS?: number): Promise<TestTenant>
  close(): Promise<void>
}

export async function startApiHarness(overrides: Record<string, string> = {}, seams: PlatformSeams = {}): Promise<ApiHarness> {
  const db = await createTestDatabase()
  const redis = await createTestRedis()
  const platform = await startPlatform(testConfig(redis.prefix, db.schema, { SWITCHBOARD_ADMIN_TOKEN: ADMIN_TOKEN, ...overrides }), seams)
  const tenant = async (id: string, scopes: Scope[] = [...SCOPES], rateLimitPerS?: number) => {
    await platform.storage.tenants.create({ id, name: id, rateLimitPerS })
    return { id, key: (await platform.storage.apiKeys.issue(id, scopes)).key }
  }
  const [a, b] = [await tenant('tenant-a'), await tenant('tenant-b')]
  const call = async (method: string, path: string, o: CallOptions = {}): Promise<Reply> => {
    const headers: Record<string, string> = { ...o.headers }
    if (o.key !== null) headers.authorization ??= `Bearer ${o.key ?? a.key}`
    const body = o.raw ?? (o.body === undefined ? undefined : JSON.stringify(o.body))
    if (body !== undefined) {
      headers['content-type'] ??= 'application/json'
      // What an HTTP client sends: the guard judges size by it before reading the body.
      headers['content-length'] ??= String(Buffer.byteLength(body))
    }
    const res = await platform.app!.handle(new Request(`http://localhost${path}`, { method, headers, body }))
    const text = await res.text()
    let parsed: unknown = text
    try {
      parsed = JSON.parse(text)
    } catch {}
    return { status: res.status, body: parsed, headers: res.headers }
  }
  return {
    platform, db, redis, a, b, call, tenant,
    async close() {
      await platform.close()
      await redis.cleanup()
      await db.drop()
    },
  }
}

/** Creates a conversation for the tenant and returns its id. */
export async function newConversation(h: ApiHarness, key = h.a.key, body: unknown = {}): Promise<string> {
  const res = await h.call('POST', '/v1/conversations', { key, body })
  if (res.status !== 201) throw new Error(`create failed: ${res.status} ${JSON.stringify(res.body)}`)
  return res.body.id
}

/** Defines (or updates) an agent of the key's tenant through the API; `spec` overrides a minimal retail agent. */
export async function defineAgent(h: ApiHarness, name: string, spec: Record<string, unknown> = {}, key = h.a.key): Promise<Reply> {
  const res = await h.call('PUT', `/v1/agents/${name}`, { key, body: { spec: { instructions: 'Help the customer.', tools: ['retail/*'], ...spec } } })
  if (res.status !== 200) throw new Error(`defining agent ${name} failed: ${res.status} ${JSON.stringify(res.body)}`)
  return res
}

/** A customer token for one conversation, as a widget would hold it. */
export async function customerToken(h: ApiHarness, conversationId: string, key = h.a.key): Promise<string> {
  const res = await h.call('POST', `/v1/conversations/${conversationId}/customer-token`, { key })
  if (res.status !== 201) throw new Error(`token failed: ${res.status} ${JSON.stringify(res.body)}`)
  return res.body.customerToken
}
