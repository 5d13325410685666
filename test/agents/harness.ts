// A platform (API and worker in one process) whose agents answer through the vendor emulator's OpenAI API,
// with tenant secrets on and loopback tools allowed, one tenant with a key of every scope, and helpers to
// define resources, post a customer message and read the reply.
import { createVendorEmulator, type VendorEmulator } from '../../emulator/index.ts'
import { startPlatform, type Platform, type PlatformSeams } from '../../platform.ts'
import { SCOPES } from '../../storage/index.ts'
import { testConfig } from '../support/platform.ts'
import { createTestDatabase, type TestDatabase } from '../support/postgres.ts'
import { createTestRedis, type TestRedis } from '../support/redis.ts'
import { waitFor } from '../support/wait.ts'

export const TENANT = 'acme'
export const SECRETS_KEY = Buffer.alloc(32, 7).toString('base64')

export interface AgentsHarness {
  platform: Platform
  db: TestDatabase
  redis: TestRedis
  emu: VendorEmulator
  key: string
  /** The worker environment, for a second worker process on the same schema and prefix. */
  env: Record<string, string>
  call(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>
  /** PUT a resource of the tenant's; throws unless it was accepted. */
  put(collection: string, name: string, spec: Record<string, unknown>): Promise<any>
  newConversation(agent: string, customer?: Record<string, unknown>): Promise<string>
  /** Posts a customer message; returns the turn id. */
  post(conversationId: string, text: string): Promise<string>
  /** Waits for the reply to a turn and returns its text. */
  reply(turnId: string, timeoutMs?: number): Promise<string>
  close(): Promise<void>
}

export async function startAgentsHarness(overrides: Record<string, string> = {}, seams: PlatformSeams = {}): Promise<AgentsHarness> {
  const emu = createVendorEmulator()
  const db = await createTestDatabase()
  const redis = await createTestRedis()
  const env = {
    ROUTING_PROVIDERS: JSON.stringify([{ vendor: 'openai-compatible', name: 'openai', baseUrl: `${emu.url}/v1` }]),
    HTTP_TOOLS_ALLOW_PRIVATE_NETWORKS: 'true', SECRETS_KEY, CATALOGUE_REFRESH_MS: '200', TOOL_WITHDRAW_MS: '2000',
    MCP_CONNECT_TIMEOUT_MS: '2000', ...overrides,
  }
  const platform = await startPlatform(testConfig(redis.prefix, db.schema, env), seams)
  await platform.storage.tenants.create({ id: TENANT, name: TENANT })
  const key = (await platform.storage.apiKeys.issue(TENANT, [...SCOPES])).key
  const call: AgentsHarness['call'] = async (method, path, body) => {
    const headers: Record<string, string> = { authorization: `Bearer ${key}` }
    const payload = body === undefined ? undefined : JSON.stringify(body)
    if (payload) Object.assign(headers, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(payload)) })
    const res = await platform.app!.handle(new Request(`http://localhost${path}`, { method, headers, body: payload }))
    const text = await res.text()
    return { status: res.status, body: text ? JSON.parse(text) : undefined }
  }
  const replyOf = async (turnId: string) =>
    (await db.sql<{ text: string }[]>`select text from messages where turn_id = ${turnId} and role = 'assistant'`)[0]?.text
  return {
    platform, db, redis, emu, key, call, env: { ...env, DATABASE_SCHEMA: db.schema, QUEUE_PREFIX: redis.prefix },
    async put(collection, name, spec) {
      const res = await call('PUT', `/v1/${collection}/${name}`, { spec })
      if (res.status !== 200) throw new Error(`PUT ${collection}/${name}: ${res.status} ${JSON.stringify(res.body)}`)
      return res.body
    },
    async newConversation(agent, customer) {
      const res = await call('POST', '/v1/conversations', { agent, ...(customer ? { customer } : {}) })
      if (res.status !== 201) throw new Error(`create: ${res.status} ${JSON.stringify(res.body)}`)
      return res.body.id
    },
    post: async (conversationId, text) => (await call('POST', `/v1/conversations/${conversationId}/messages`, { text })).body.id,
    reply: (turnId, timeoutMs = 15_000) => waitFor(() => replyOf(turnId), timeoutMs, `the reply to ${turnId}`),
    async close() {
      await platform.close()
      await emu.close()
      await redis.cleanup()
      await db.drop()
    },
  }
}
