// A WRITE tool call made by the running platform is recorded with its conversation and turn, so the DSAR export,
// archiving and erasure reach its arguments and result like the rest of the conversation.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { ModelGateway, ProviderRequest } from '../../providers/index.ts'
import { startPlatform, type Platform } from '../../platform.ts'
import { testConfig } from '../support/platform.ts'
import { createTestDatabase, type TestDatabase } from '../support/postgres.ts'
import { createTestRedis, type TestRedis } from '../support/redis.ts'
import { turn } from '../support/traffic.ts'
import { waitFor } from '../support/wait.ts'

let db: TestDatabase
let redis: TestRedis
let platform: Platform
let blobDir: string

// The model authenticates the customer by email, as the demo agent's policy requires, asks for a password reset
// (a WRITE tool of the retail demo), then answers once it has the result.
const SCRIPT = [
  { id: 'c1', name: 'find_user_id_by_email', arguments: { email: 'yusuf.khan4494@example.com' } },
  { id: 'c2', name: 'send_password_reset', arguments: { user_id: 'yusuf_khan_2015' } },
]
function step(req: Omit<ProviderRequest, 'model'>) {
  const next = SCRIPT[req.messages.filter((m) => m.role === 'tool').length]
  const response = {
    provider: 'script', model: 'script', text: next ? '' : 'The reset link is on its way.', stopReason: next ? 'tool_use' as const : 'end' as const,
    toolCalls: next ? [next] : [], usage: { inputTokens: 1, outputTokens: 1, cachedTokens: 0 },
  }
  return { response, costUsd: 0, path: ['script:script'] }
}
const gateway: ModelGateway = { complete: async (req) => step(req) }

beforeAll(async () => {
  [db, redis, blobDir] = await Promise.all([createTestDatabase(), createTestRedis(), mkdtemp(join(tmpdir(), 'switchboard-blobs-'))])
  platform = await startPlatform(testConfig(redis.prefix, db.schema, { ROLE: 'worker', BLOB_DIR: blobDir }), { gateway })
})
afterAll(async () => {
  await platform.close()
  await Promise.all([redis.cleanup(), db.drop(), rm(blobDir, { recursive: true, force: true })])
})

const toolCallsOf = async (conversationId: string) => [...await db.sql<{ conversation_id: string; turn_id: string; args: unknown }[]>`
  select conversation_id, turn_id, args from tool_calls where conversation_id = ${conversationId}`]

test('the tool call is stored with its conversation and turn, and is exported, archived and erased with them', async () => {
  const { storage } = platform
  const by = { actor: 'test' }
  const { customerId } = await storage.customers.identify('acme', { kind: 'email', value: 'tools@example.com' }, by)
  const id = 'conv_tools_1'
  await storage.chat.create({ id, tenantId: 'acme', channel: 'chat', agent: 'demo', customerId })
  await storage.messages.append({ id: 'msg_tools_1', conversationId: id, role: 'customer', text: 'I cannot sign in' })
  await platform.mailbox.send(turn(id, 'msg_tools_1', 'I cannot sign in'))
  await waitFor(async () => (await storage.messages.list(id)).some((m) => m.role === 'assistant'), 15_000, 'the reply')

  expect(await toolCallsOf(id)).toEqual([{ conversation_id: id, turn_id: 'msg_tools_1', args: { user_id: 'yusuf_khan_2015' } }])
  const exported = await storage.exportCustomer(customerId)
  expect(exported.conversations[0]!.tables.tool_calls).toMatchObject([{ tool: 'send_password_reset', ok: true }])

  expect(await storage.archiver.archive(id)).toBe('archived')
  expect(await toolCallsOf(id)).toEqual([])
  expect(JSON.parse((await storage.archiver.readDoc(id))!.doc).tables.tool_calls).toHaveLength(1)

  const report = await storage.eraseCustomer(customerId, by, async () => 0)
  expect(report).toMatchObject({ conversations: 1, coldObjects: 1 })
  expect(await db.sql`select 1 from tool_calls where idempotency_key like 'msg_tools_1.%'`).toHaveLength(0)
})

test('tool calls recorded before the conversation was passed on are found again by their key', async () => {
  const { storage } = platform
  await storage.chat.create({ id: 'conv_tools_old', tenantId: 'acme', channel: 'chat', agent: 'demo' })
  await storage.messages.append({ id: 'msg_tools_old', conversationId: 'conv_tools_old', role: 'customer', text: 'old' })
  await db.sql`insert into tool_calls (idempotency_key, tool, args) values ('msg_tools_old.tool.c1', 'send_password_reset', '{}')`
  const [migration] = await db.sql<{ name: string }[]>`select name from schema_migrations where name like '200_%'`
  const backfill = await Bun.file(join(import.meta.dir, '../../storage/postgres/migrations', migration!.name)).text()
  await db.sql.unsafe(backfill)
  expect(await toolCallsOf('conv_tools_old')).toEqual([{ conversation_id: 'conv_tools_old', turn_id: 'msg_tools_old', args: {} }])
})
