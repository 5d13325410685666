// The conversation actor with a scripted model: typing before a slow reply (none before a quick one), double
// texting (queue or merge), a new conversation that starts with the customer's recent messages from another channel,
// and mail that reaches a conversation after its customer was erased.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import type { ModelGateway, ProviderMessage, RouteContext } from '../../providers/index.ts'
import { startPlatform, type Platform } from '../../platform.ts'
import { createTestDatabase, type TestDatabase } from '../support/postgres.ts'
import { createTestRedis, type TestRedis } from '../support/redis.ts'
import { testConfig } from '../support/platform.ts'
import { keysHolding } from '../support/redis-search.ts'
import { turn } from '../support/traffic.ts'
import { waitFor } from '../support/wait.ts'
import { TYPING_DELAY_MS } from '../../actors/conversation/turn.ts'

let db: TestDatabase
let redis: TestRedis
let platform: Platform
/** What the model saw on each call, per conversation. */
const seen = new Map<string, ProviderMessage[][]>()
/** The routing context of the last call, per conversation. */
const contexts = new Map<string, RouteContext>()

// A slow model that answers with the last customer line, so messages can arrive while a turn runs ("quick" is
// answered at once). It streams word by word, like a vendor model would.
async function answer(req: { messages: ProviderMessage[] }, conversationId: string) {
  seen.set(conversationId, [...(seen.get(conversationId) ?? []), req.messages])
  const last = req.messages.filter((m) => m.role === 'user').at(-1)?.content ?? ''
  if (last !== 'quick') await Bun.sleep(300)
  const response = {
    provider: 'script', model: 'script', text: `re: ${last}`, toolCalls: [], stopReason: 'end' as const,
    usage: { inputTokens: 1, outputTokens: 1, cachedTokens: 0 },
  }
  return { response, costUsd: 0, path: ['script:script'] }
}

const gateway: ModelGateway = {
  complete: (req, ctx) => (contexts.set(ctx.conversationId, ctx), answer(req, ctx.conversationId)),
  async *stream(req, ctx) {
    contexts.set(ctx.conversationId, ctx)
    const routed = await answer(req, ctx.conversationId)
    // "whole" scripts a model that sends its reply in one piece.
    const text = routed.response.text
    for (const piece of text.endsWith('whole') ? [text] : text.split(/(?<= )/)) yield { type: 'text', delta: piece }
    yield { type: 'done', routed }
  },
}

beforeAll(async () => {
  db = await createTestDatabase()
  redis = await createTestRedis()
  platform = await startPlatform(testConfig(redis.prefix, db.schema, { ROLE: 'worker' }), { gateway })
  // These turns are about the actor, not a policy: the tenant's own demo agent runs under none.
  const demo = await platform.storage.resources.resolve({ tenantId: 'default', kind: 'Agent', name: 'demo' })
  const { policy: _policy, ...plain } = demo!.spec!
  await platform.storage.resources.apply({ tenantId: 'default', kind: 'Agent', name: 'demo', spec: { ...plain, tenant: 'default' }, by: 'test' })
})

afterAll(async () => {
  await platform.close()
  await redis.cleanup()
  await db.drop()
})

/** Stores the customer message first, as the API does, then mails it. */
async function post(conversationId: string, id: string, text: string): Promise<void> {
  await platform.storage.messages.append({ id, conversationId, role: 'customer', text })
  await platform.mailbox.send(turn(conversationId, id, text))
}

async function events(conversationId: string) {
  return (await platform.storage.events.read(conversationId, '0', { count: 100 })).map((e) => e.event)
}

async function doubleText(conversationId: string, policy: 'queue' | 'merge'): Promise<void> {
  await platform.storage.conversations.ensure({ id: conversationId })
  await db.sql`update conversations set double_texting = ${policy} where id = ${conversationId}`
  await post(conversationId, `${conversationId}-1`, 'first')
  await Bun.sleep(100)
  await post(conversationId, `${conversationId}-2`, 'second')
  await post(conversationId, `${conversationId}-3`, 'third')
}

describe('conversation actor', () => {
  test('the customer sees the agent typing, then the reply streaming in, then the reply', async () => {
    await post('typing-1', 'typing-1-a', 'hello there')
    await waitFor(async () => (await events('typing-1')).some((e) => e.type === 'reply.completed'), 5000, 'reply')
    const seenEvents = await events('typing-1')
    // The release gate shows whole words as they come; the last, unfinished one arrives with the completed reply.
    expect(seenEvents.map((e) => e.type)).toEqual(['agent.typing', 'reply.delta', 'reply.delta', 'reply.completed'])
    expect(seenEvents.filter((e) => e.type === 'reply.delta').map((e) => e.data.delta).join('')).toBe('re: hello ')
  })

  test('a reply that arrives in one piece is not streamed', async () => {
    await post('typing-2', 'typing-2-a', 'whole')
    await waitFor(async () => (await events('typing-2')).some((e) => e.type === 'reply.completed'), 5000, 'reply')
    expect((await events('typing-2')).map((e) => e.type)).toEqual(['agent.typing', 'reply.completed'])
  })

  test('a reply ready within the typing delay comes without the typing indicator', async () => {
    const sent = Date.now()
    await post('typing-3', 'typing-3-a', 'quick')
    await waitFor(async () => (await events('typing-3')).some((e) => e.type === 'reply.completed'), 5000, 'reply')
    // An indicator is published before the reply it precedes, so the stream already holds any there is.
    const seen = await events('typing-3')
    const completed = seen.find((e) => e.type === 'reply.completed')!
    // A loaded machine can make even this turn outlast the delay: only then may the indicator show.
    if (seen.some((e) => e.type === 'agent.typing')) expect(completed.at - sent).toBeGreaterThanOrEqual(TYPING_DELAY_MS)
    else expect(seen.map((e) => e.type)).toEqual(['reply.delta', 'reply.completed'])
  })

  test('double texting, queue policy: every message is answered, in order', async () => {
    await doubleText('dt-queue', 'queue')
    await waitFor(async () => (await events('dt-queue')).filter((e) => e.type === 'reply.completed').length === 3, 8000, 'three replies')
    const replies = (await events('dt-queue')).filter((e) => e.type === 'reply.completed').map((e) => e.data.text)
    expect(replies).toEqual(['re: first', 're: second', 're: third'])
  })

  test('double texting, merge policy: messages that arrive while a turn runs are answered together', async () => {
    await doubleText('dt-merge', 'merge')
    await waitFor(async () => (await events('dt-merge')).filter((e) => e.type === 'reply.completed').length === 2, 8000, 'two replies')
    // The third message's own turn finds it merged and stays silent.
    await waitFor(async () => (await platform.mailbox.backlog('dt-merge')) === 0, 5000, 'mailbox drained')
    await Bun.sleep(100)
    const replies = (await events('dt-merge')).filter((e) => e.type === 'reply.completed')
    expect(replies.map((e) => e.data.text)).toEqual(['re: first', 're: third'])
    // The merged turn's model call saw both late messages.
    const lastCall = seen.get('dt-merge')!.at(-1)!
    expect(lastCall.filter((m) => m.role === 'user').map((m) => m.content)).toEqual(['first', 'second', 'third'])
  })

  test('a new conversation of a verified customer starts with their recent messages from another channel', async () => {
    const { customerId } = await platform.storage.customers.identify('default', { kind: 'email', value: 'ada@example.com' }, { actor: 'test', reason: 'test' })
    await platform.storage.conversations.ensure({ id: 'chat-ada', customerId, channel: 'chat' })
    await post('chat-ada', 'chat-ada-1', 'my parcel never arrived')
    await waitFor(async () => (await events('chat-ada')).some((e) => e.type === 'reply.completed'), 5000, 'chat reply')
    await platform.storage.conversations.ensure({ id: 'email-ada', customerId, channel: 'email' })
    await db.sql`update conversations set identity_verified = true where id = 'email-ada'`
    await post('email-ada', 'email-ada-1', 'any news?')
    await waitFor(async () => (await events('email-ada')).some((e) => e.type === 'reply.completed'), 5000, 'email reply')
    const context = seen.get('email-ada')![0]!.map((m) => m.content)
    expect(context).toEqual(['my parcel never arrived', 're: my parcel never arrived', 'any news?'])
  })

  test('an identity only claimed (not signed by the tenant) brings no earlier conversations', async () => {
    const { customerId } = await platform.storage.customers.identify('default', { kind: 'email', value: 'bea@example.com' }, { actor: 'test', reason: 'test' })
    await platform.storage.conversations.ensure({ id: 'chat-bea', customerId, channel: 'chat' })
    await post('chat-bea', 'chat-bea-1', 'my secret order is #W7777777')
    await waitFor(async () => (await events('chat-bea')).some((e) => e.type === 'reply.completed'), 5000, 'chat reply')
    await platform.storage.conversations.ensure({ id: 'claim-bea', customerId, channel: 'chat' })
    await post('claim-bea', 'claim-bea-1', 'what was my order?')
    await waitFor(async () => (await events('claim-bea')).some((e) => e.type === 'reply.completed'), 5000, 'claimed reply')
    expect(seen.get('claim-bea')![0]!.map((m) => m.content)).toEqual(['what was my order?'])
  })

  test('mail that arrives after its customer was erased stores nothing, answers nothing and leaves the queue', async () => {
    const by = { actor: 'dpo@example.com', reason: 'GDPR art. 17 request' }
    const { customerId } = await platform.storage.customers.identify('default', { kind: 'email', value: 'gone@example.com' }, by)
    await platform.storage.conversations.ensure({ id: 'erased-1', customerId })
    await post('erased-1', 'erased-1-a', 'hello')
    await waitFor(async () => (await events('erased-1')).some((e) => e.type === 'reply.completed'), 5000, 'first reply')
    // The actor is still active; this mail was queued after the erasure swept the queues (nothing to sweep here).
    await platform.storage.eraseCustomer(customerId, by, async () => 0)
    await platform.mailbox.send(turn('erased-1', 'erased-1-late', 'LATE secret 4711'))
    await platform.mailbox.send({
      v: 1, id: 'erased-1-outreach', kind: 'outreach.triggered', conversationId: 'erased-1', sentAt: Date.now(),
      payload: { text: 'OUTREACH secret 4711', campaign: 'c' },
    })
    await waitFor(async () => (await keysHolding(redis.client, redis.prefix, 'secret 4711')).length === 0, 5000, 'mail removed')
    expect(await platform.storage.conversations.get('erased-1')).toBeUndefined()
    expect((await db.sql`select id from messages where conversation_id = 'erased-1'`).length).toBe(0)
    expect(await events('erased-1')).toEqual([])
    expect(seen.get('erased-1')).toHaveLength(1)
  })

  test('in assist mode the model is routed as assist, streams nothing, and the reply becomes a draft', async () => {
    const demo = await platform.storage.resources.resolve({ tenantId: 'default', kind: 'Agent', name: 'demo' })
    await platform.storage.resources.apply({ tenantId: 'default', kind: 'Agent', name: 'assist-bot', spec: { ...demo!.spec, mode: 'assist' }, by: 'test' })
    await platform.storage.conversations.ensure({ id: 'assist-1', agent: 'assist-bot' })
    await post('assist-1', 'assist-1-a', 'hello there')
    await waitFor(async () => (await events('assist-1')).some((e) => e.type === 'draft.created'), 5000, 'the draft')
    expect(contexts.get('assist-1')?.maturity).toBe('assist')
    expect((await events('assist-1')).map((e) => e.type)).toEqual(['draft.created'])
    expect((await platform.storage.assist.drafts('default', 'assist-1'))?.map((d) => d.text)).toEqual(['re: hello there'])
  })
})
