// A handoff end to end, with the offline local model as the AI agent: the customer asks for a person, the
// escalation reaches the tenant's queue, the agent stays silent while a human answers, and it answers again,
// knowing what was said, once the human hands the conversation back. Actors passivate after 200 ms here, as they
// would while a person takes their time: what the agent knows must not depend on its actor staying in memory.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import type { ConversationEvent } from '../../storage/index.ts'
import { waitFor } from '../support/wait.ts'
import { newConversation, startApiHarness, type ApiHarness } from './harness.ts'

let h: ApiHarness
beforeAll(async () => (h = await startApiHarness({ AGENT_PROVIDER: 'local', ACTOR_IDLE_TIMEOUT_MS: '200' })))
const idle = () => Bun.sleep(500)
afterAll(() => h.close())

const post = (id: string, text: string) => h.call('POST', `/v1/conversations/${id}/messages`, { body: { text } })
const events = async (id: string) => (await h.platform.storage.events.read(id, '0', { count: 500 })).map((e) => e.event)
const botReplies = async (id: string) =>
  (await events(id)).filter((e) => e.type === 'reply.completed' && e.data.author === undefined)
const eventOf = (id: string, type: string, label: string): Promise<ConversationEvent> =>
  waitFor(async () => (await events(id)).find((e) => e.type === type), 10_000, label) as Promise<ConversationEvent>

test('escalated, answered by a person while the agent is silent, then handed back', async () => {
  const id = await newConversation(h)
  await post(id, 'I want to talk to a human agent')
  const opened = await eventOf(id, 'escalation.opened', 'the escalation')
  const escalationId = opened.data.escalationId as string
  const queue = await h.call('GET', '/v1/escalations')
  expect(queue.body.data).toEqual([expect.objectContaining({ id: escalationId, conversationId: id, status: 'open', reason: 'agent.escalated', detail: 'customer_requested_human' })])

  await post(id, 'hello? is anyone there?')
  expect((await eventOf(id, 'message.received', 'the message passed to the human')).data.text).toBe('hello? is anyone there?')
  const taken = await h.call('POST', `/v1/escalations/${escalationId}/take`, { body: { agent: 'anna@support' } })
  expect(taken.body).toMatchObject({ status: 'taken', takenBy: 'anna@support' })
  expect((await h.call('POST', `/v1/escalations/${escalationId}/take`, { body: { agent: 'anna@support' } })).status).toBe(200)
  expect((await h.call('POST', `/v1/escalations/${escalationId}/take`, { body: { agent: 'bob@support' } })).body.error.code).toBe('conflict')
  const say = () => h.call('POST', `/v1/conversations/${id}/agent-messages`, {
    body: { text: 'Hi, Anna here. How can I help?', agent: 'anna@support' }, headers: { 'idempotency-key': `anna-${id}` },
  })
  const said = await say()
  expect(said.status).toBe(201)
  // A retry after a lost answer replays the first message and sends nothing twice.
  const retried = await say()
  expect({ id: retried.body.id, replayed: retried.headers.get('idempotent-replayed') }).toEqual({ id: said.body.id, replayed: 'true' })
  // The turn that escalated owns its escalation: a redelivery of it would still owe the handoff reply.
  const escalatingTurn = escalationId.replace(/\.escalation$/, '')
  const redelivered = await h.platform.storage.turnSteps.begin({ turnId: escalatingTurn, conversationId: id, text: 'I want to talk to a human agent' })
  expect(redelivered.escalatedHere).toBe(true)
  expect((await events(id)).find((e) => e.id === said.body.id)?.data).toMatchObject({ author: 'human_agent', agent: 'anna@support' })
  expect(await botReplies(id)).toHaveLength(1)

  const resolved = await h.call('POST', `/v1/escalations/${escalationId}/resolve`, { body: { handBack: true } })
  expect(resolved.body).toMatchObject({ status: 'resolved' })
  expect((await eventOf(id, 'escalation.resolved', 'the resolution')).data).toMatchObject({ handBack: true })
  expect((await h.call('GET', `/v1/conversations/${id}`)).body.status).toBe('open')
  await idle()
  await post(id, 'Where is my order?')
  await waitFor(async () => (await botReplies(id)).length === 2, 10_000, 'the agent answering again')
  const transcript = (await h.call('GET', `/v1/conversations/${id}`)).body.messages.map((m: { role: string }) => m.role)
  expect(transcript).toEqual(['customer', 'assistant', 'customer', 'human_agent', 'customer', 'assistant'])
  // The agent's context was read again: the hot session it answers from now holds the human's message.
  const context = await h.platform.storage.sessions.load(id)
  expect(context.tier).toBe('hot')
  expect(context.messages.map((m) => m.role)).toEqual(transcript)
})

test('resolving without handing back keeps the agent silent, and handing back later still works', async () => {
  const id = await newConversation(h)
  await post(id, 'Please connect me to customer service')
  const escalationId = (await eventOf(id, 'escalation.opened', 'the escalation')).data.escalationId as string
  expect((await h.call('POST', `/v1/escalations/${escalationId}/resolve`, { body: { handBack: false } })).status).toBe(200)
  expect((await h.call('GET', `/v1/conversations/${id}`)).body.status).toBe('escalated')
  await post(id, 'thanks')
  await eventOf(id, 'message.received', 'the message passed on')
  expect(await botReplies(id)).toHaveLength(1)
  expect((await h.call('POST', `/v1/escalations/${escalationId}/resolve`, { body: { handBack: true } })).status).toBe(200)
  expect((await h.call('GET', `/v1/conversations/${id}`)).body.status).toBe('open')
})

test('the metrics show the queue: waiting for a person, then with one', async () => {
  const id = await newConversation(h)
  await post(id, 'I want to talk to a human agent')
  const escalationId = (await eventOf(id, 'escalation.opened', 'the escalation')).data.escalationId as string
  const queue = async () => (await h.call('GET', '/metrics', { key: null })).body.match(/^switchboard_handoffs\{.*$/gm)
  expect(await queue()).toEqual(['switchboard_handoffs{status="open"} 1', 'switchboard_handoffs{status="taken"} 0'])
  await h.call('POST', `/v1/escalations/${escalationId}/take`, { body: { agent: 'anna@support' } })
  expect(await queue()).toEqual(['switchboard_handoffs{status="open"} 0', 'switchboard_handoffs{status="taken"} 1'])
  await h.call('POST', `/v1/escalations/${escalationId}/resolve`, { body: {} })
})

test("another tenant's escalations and conversations are out of reach; bad input is a 4xx", async () => {
  const id = await newConversation(h)
  await post(id, 'I want to talk to a human agent')
  const escalationId = (await eventOf(id, 'escalation.opened', 'the escalation')).data.escalationId as string
  const b = { key: h.b.key }
  expect((await h.call('GET', '/v1/escalations', b)).body.data).toEqual([])
  expect((await h.call('POST', `/v1/escalations/${escalationId}/take`, { ...b, body: { agent: 'eve' } })).status).toBe(404)
  expect((await h.call('POST', `/v1/escalations/${escalationId}/resolve`, { ...b, body: {} })).status).toBe(404)
  expect((await h.call('POST', `/v1/conversations/${id}/agent-messages`, { ...b, body: { text: 'hi', agent: 'eve' } })).status).toBe(404)
  const noAgent = await h.call('POST', `/v1/escalations/${escalationId}/take`, { body: {} })
  expect({ status: noAgent.status, code: noAgent.body.error.code }).toEqual({ status: 400, code: 'request.invalid' })
  const badStatus = await h.call('GET', '/v1/escalations?status=lost')
  expect(badStatus.status).toBe(400)
  const channelOnly = await h.tenant('tenant-channel', ['channel'])
  expect((await h.call('GET', '/v1/escalations', { key: channelOnly.key })).body.error.code).toBe('auth.forbidden')
})
