// An in-process platform (API and worker) with a scripted model that calls one tool before answering, a
// fake tool executor, one tenant with a key, and helpers to post a turn and wait for its reply.
import type { ToolExecutor } from '../../actors/index.ts'
import type { ModelGateway, ProviderMessage, ProviderResponse } from '../../providers/index.ts'
import { startPlatform, type Platform, type PlatformSeams } from '../../platform.ts'
import { testConfig } from '../support/platform.ts'
import { createTestDatabase, type TestDatabase } from '../support/postgres.ts'
import { createTestRedis, type TestRedis } from '../support/redis.ts'
import { waitFor } from '../support/wait.ts'

export const TENANT = 'obs-tenant'

export interface ObservedPlatform {
  platform: Platform
  db: TestDatabase
  redis: TestRedis
  key: string
  call(method: string, path: string, body?: unknown, key?: string): Promise<{ status: number; body: any; text: string }>
  newConversation(): Promise<string>
  /** Posts a customer message through the API; returns its id (the turn id). */
  post(conversationId: string, text: string): Promise<string>
  waitForReply(turnId: string): Promise<void>
  close(): Promise<void>
}

export const scriptedResponse = (text: string, toolCalls: ProviderResponse['toolCalls'] = []): ProviderResponse => ({
  provider: 'scripted', model: 'scripted-small', text, toolCalls,
  usage: { inputTokens: 120, outputTokens: 30, cachedTokens: 0 }, stopReason: toolCalls.length ? 'tool_use' : 'end',
})

/** "order" → one lookup_order tool call, then an answer from its result; anything else is echoed. The first
 *  model on the path always "fails over" to the scripted one, so fallbacks are visible in metrics. */
export function scriptedGateway(): ModelGateway {
  return {
    async complete(req) {
      const last = req.messages[req.messages.length - 1]
      const res = last?.role === 'tool'
        ? scriptedResponse(`Your order has ${JSON.parse(last.content).status}.`)
        : last?.content.includes('order')
          ? scriptedResponse('Let me check.', [{ id: 'call-1', name: 'lookup_order', arguments: { orderId: '#W1001' } }])
          : scriptedResponse(`Received: ${last?.content ?? ''}`)
      return { response: res, costUsd: 0.0025, path: ['primary:big-model', 'scripted:scripted-small'] }
    },
  }
}

/** `model`, with the messages of every prompt it is sent kept by conversation, in order, in `prompts`. */
export function recordingPrompts(model: ModelGateway, prompts: Map<string, ProviderMessage[][]>): ModelGateway {
  return {
    complete: (req, ctx) => {
      const id = String(ctx?.conversationId)
      prompts.set(id, [...(prompts.get(id) ?? []), structuredClone(req.messages)])
      return model.complete(req, ctx)
    },
  }
}

export const fakeTools: ToolExecutor = {
  execute: async (call) => ({ ok: true, output: { orderId: call.args.orderId, status: 'shipped' } }),
}

export async function startObserved(seams: PlatformSeams = {}, overrides: Record<string, string> = {}): Promise<ObservedPlatform> {
  const db = await createTestDatabase()
  const redis = await createTestRedis()
  const platform = await startPlatform(testConfig(redis.prefix, db.schema, overrides), { gateway: scriptedGateway(), tools: fakeTools, ...seams })
  await platform.storage.tenants.create({ id: TENANT, name: TENANT })
  const key = (await platform.storage.apiKeys.issue(TENANT, ['channel', 'console'])).key
  const call: ObservedPlatform['call'] = async (method, path, body, asKey = key) => {
    const headers: Record<string, string> = { authorization: `Bearer ${asKey}` }
    const payload = body === undefined ? undefined : JSON.stringify(body)
    if (payload) Object.assign(headers, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(payload)) })
    const res = await platform.app!.handle(new Request(`http://localhost${path}`, { method, headers, body: payload }))
    const text = await res.text()
    let parsed: unknown = text
    try {
      parsed = JSON.parse(text)
    } catch {}
    return { status: res.status, body: parsed, text }
  }
  const replied = async (turnId: string) =>
    (await db.sql`select 1 from messages where turn_id = ${turnId} and role = 'assistant'`).length > 0
  return {
    platform, db, redis, key, call,
    newConversation: async () => (await call('POST', '/v1/conversations', {})).body.id,
    post: async (conversationId, text) => (await call('POST', `/v1/conversations/${conversationId}/messages`, { text })).body.id,
    waitForReply: (turnId) => waitFor(() => replied(turnId), 15_000, `the reply to ${turnId}`).then(() => {}),
    async close() {
      await platform.close()
      await redis.cleanup()
      await db.drop()
    },
  }
}
