// Assist mode end to end, with the offline local model: the agent only drafts, a person sends a draft (edited)
// or discards one, the agent's next turn knows what was actually sent, and back in execute it answers itself.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import type { ConversationEvent } from '../../storage/index.ts'
import { waitFor } from '../support/wait.ts'
import { newConversation, startApiHarness, type ApiHarness } from './harness.ts'

let h: ApiHarness
beforeAll(async () => (h = await startApiHarness({ AGENT_PROVIDER: 'local' })))
afterAll(() => h.close())

const post = (id: string, text: string) => h.call('POST', `/v1/conversations/${id}/messages`, { body: { text } })
const events = async (id: string) => (await h.platform.storage.events.read(id, '0', { count: 500 })).map((e) => e.event)
const ofType = async (id: string, type: string) => (await events(id)).filter((e) => e.type === type)
const nth = (id: string, type: string, n: number): Promise<ConversationEvent> =>
  waitFor(async () => (await ofType(id, type))[n - 1], 10_000, `${type} #${n}`) as Promise<ConversationEvent>
const setMode = (mode: string) => h.call('PUT', '/v1/agents/demo/mode', { body: { mode } })

test('drafts only, a person sends or discards them, and the agent learns what was sent', async () => {
  expect((await setMode('assist')).body).toMatchObject({ agent: 'demo', mode: 'assist' })
  const id = await newConversation(h)
  await post(id, 'Where is my order?')
  const first = await nth(id, 'draft.created', 1)
  expect(first.data).not.toHaveProperty('text')
  // Nothing of the draft reaches the customer's stream: no reply, no deltas of it being written, no typing.
  expect((await events(id)).map((e) => e.type)).toEqual(['draft.created'])
  const [draft] = (await h.call('GET', `/v1/conversations/${id}/drafts`)).body.data
  expect(draft).toMatchObject({ id: first.data.draftId, status: 'pending' })
  expect(draft.text.length).toBeGreaterThan(0)

  const edited = 'Happy to check. What is the email address on your account?'
  const sent = await h.call('POST', `/v1/drafts/${draft.id}/send`, { body: { agent: 'anna@support', text: edited } })
  expect(sent.body).toMatchObject({ role: 'assistant', text: edited })
  expect((await nth(id, 'reply.completed', 1)).data).toMatchObject({ text: edited, approvedBy: 'anna@support', edited: true })
  expect((await h.call('POST', `/v1/drafts/${draft.id}/send`, { body: { agent: 'bob@support' } })).body.error.code).toBe('conflict')

  await post(id, 'My email is noah.brown7922@example.com')
  const second = await nth(id, 'draft.created', 2)
  expect((await h.call('POST', `/v1/drafts/${second.data.draftId}/discard`, { body: { agent: 'anna@support' } })).status).toBe(200)
  expect((await h.call('GET', `/v1/conversations/${id}/drafts`)).body.data.map((d: { status: string }) => d.status)).toEqual(['sent', 'discarded'])
  // The agent read the conversation again for its second turn: its context holds the edited text that was sent.
  const context = await h.platform.storage.sessions.load(id)
  expect(context.messages.map((m) => m.text)).toEqual(['Where is my order?', edited, 'My email is noah.brown7922@example.com'])

  expect((await setMode('execute')).status).toBe(200)
  await post(id, 'Where is my order?')
  await nth(id, 'reply.completed', 2)
  expect(await ofType(id, 'draft.created')).toHaveLength(2)
})

test("another tenant's drafts are out of reach, modes are per tenant, and bad input is a 4xx", async () => {
  await setMode('assist')
  const id = await newConversation(h)
  await post(id, 'Where is my order?')
  const draftId = (await nth(id, 'draft.created', 1)).data.draftId as string
  const b = { key: h.b.key }
  expect((await h.call('GET', `/v1/conversations/${id}/drafts`, b)).status).toBe(404)
  expect((await h.call('POST', `/v1/drafts/${draftId}/send`, { ...b, body: { agent: 'eve' } })).status).toBe(404)
  expect((await h.call('POST', `/v1/drafts/${draftId}/discard`, { ...b, body: { agent: 'eve' } })).status).toBe(404)
  expect((await h.call('GET', '/v1/agents/demo/mode', b)).body.mode).toBe('execute')
  expect((await h.call('PUT', '/v1/agents/demo/mode', { body: { mode: 'autopilot' } })).status).toBe(400)
  expect((await h.call('POST', `/v1/drafts/${draftId}/send`, { body: {} })).status).toBe(400)
  const consoleOnly = await h.tenant('tenant-assist-console', ['console'])
  expect((await h.call('PUT', '/v1/agents/demo/mode', { key: consoleOnly.key, body: { mode: 'operate' } })).body.error.code).toBe('auth.forbidden')
  await setMode('execute')
})
