// A built-in model's answer that asks for no tool is recorded with the turn's reply (or draft), in the same statement:
// one write fewer per turn. An answer that asks for a tool is still recorded on its own before the tool runs, and a
// vendor's call on its queue is recorded by its provider worker. Either way the call and its step are stored once.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { scriptedGateway, startObserved, TENANT, type ObservedPlatform } from '../observability/harness.ts'
import { waitFor } from '../support/wait.ts'

let h: ObservedPlatform

beforeAll(async () => {
  h = await startObserved({ gateway: scriptedGateway() })
})

afterAll(() => h.close())

/** The transaction that wrote each row: rows written by one statement share it. */
async function writers(turnId: string) {
  const [row] = await h.db.sql<{ reply: string; replyStep: string; call1: string; step1: string; call2: string; step2: string }[]>`select
    (select xmin::text from messages where id = ${`${turnId}.reply`}) as reply,
    (select xmin::text from turn_steps where turn_id = ${turnId} and step = 'reply') as "replyStep",
    (select xmin::text from provider_calls where id = ${`${turnId}.model.1`}) as call1,
    (select xmin::text from turn_steps where turn_id = ${turnId} and step = 'model.1') as step1,
    (select xmin::text from provider_calls where id = ${`${turnId}.model.2`}) as call2,
    (select xmin::text from turn_steps where turn_id = ${turnId} and step = 'model.2') as step2`
  return row!
}

test('an answer without tool calls is stored in the reply\'s statement; one that asks for a tool, before the tool runs', async () => {
  const conversationId = await h.newConversation()
  // The scripted model looks the order up (model.1 asks for lookup_order), then answers from its result (model.2).
  const turnId = await h.post(conversationId, 'Where is my order?')
  await h.waitForReply(turnId)
  const w = await writers(turnId)
  expect(w.reply).toBeTruthy()
  expect([w.replyStep, w.call2, w.step2]).toEqual([w.reply, w.reply, w.reply])
  expect(w.call1).toBe(w.step1)
  expect(w.call1).not.toBe(w.reply)

  const [call] = await h.db.sql<{ provider: string; cost: number; path: string[] }[]>`select provider, cost_usd::float8 as cost,
    fallback_path as path from provider_calls where id = ${`${turnId}.model.2`}`
  expect(call).toEqual({ provider: 'scripted', cost: 0.0025, path: ['primary:big-model', 'scripted:scripted-small'] })
  const [step] = await h.db.sql<{ result: { text: string; toolCalls: unknown[] } }[]>`select result from turn_steps
    where turn_id = ${turnId} and step = 'model.2'`
  expect(step!.result).toMatchObject({ text: 'Your order has shipped.', toolCalls: [] })
})

test('a turn answered at once records its one model call with the reply, and a second turn its own', async () => {
  const conversationId = await h.newConversation()
  for (const text of ['hello', 'thanks']) {
    const turnId = await h.post(conversationId, text)
    await h.waitForReply(turnId)
    const w = await writers(turnId)
    expect([w.call1, w.step1]).toEqual([w.reply, w.reply])
  }
  const [row] = await h.db.sql<{ calls: number }[]>`select count(*)::int as calls from provider_calls where conversation_id = ${conversationId}`
  expect(row!.calls).toBe(2)
})

test('in assist mode the answer is stored with the draft, in the draft\'s statement', async () => {
  const demo = await h.platform.storage.resources.resolve({ tenantId: TENANT, kind: 'Agent', name: 'demo' })
  await h.platform.storage.resources.apply({ tenantId: TENANT, kind: 'Agent', name: 'assist-bot', spec: { ...demo!.spec, mode: 'assist' }, by: 'test' })
  const { body } = await h.call('POST', '/v1/conversations', { agent: 'assist-bot' })
  const turnId = await h.post(body.id, 'hello')
  await waitFor(async () => (await h.db.sql`select 1 from reply_drafts where turn_id = ${turnId}`).length > 0, 15_000, 'the draft')
  const [row] = await h.db.sql<{ draft: string; call: string; step: string }[]>`select
    (select xmin::text from reply_drafts where turn_id = ${turnId}) as draft,
    (select xmin::text from provider_calls where id = ${`${turnId}.model.1`}) as call,
    (select xmin::text from turn_steps where turn_id = ${turnId} and step = 'model.1') as step`
  expect([row!.call, row!.step]).toEqual([row!.draft, row!.draft])
})
