// A support team's day in the console API, with the offline local model as the AI agent: queues route handoffs by
// reason and assign them round robin among available people with the skills; the inbox counts them; only the person
// holding a handoff answers; transfers, internal notes, package ratings and QA reviews are recorded; another tenant
// sees none of it.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { waitFor } from '../support/wait.ts'
import { consoleCall, consoleSession, type ConsoleSessionRef } from './console-harness.ts'
import { newConversation, startApiHarness, type ApiHarness } from './harness.ts'

let h: ApiHarness
let supervisor: ConsoleSessionRef
let admin: ConsoleSessionRef
beforeAll(async () => {
  h = await startApiHarness({ AGENT_PROVIDER: 'local', CONSOLE_SLA_SWEEP_MS: '0' })
  supervisor = await consoleSession(h, h.a.id, 'supervisor')
  admin = await consoleSession(h, h.a.id, 'admin')
})
afterAll(() => h.close())

const call = (s: ConsoleSessionRef, method: string, path: string, body?: unknown) => consoleCall(h, s, method, `/console/api${path}`, { body })
const events = async (id: string) => (await h.platform.storage.events.read(id, '0', { count: 500 })).map((e) => e.event)

async function handoff(text = 'I want to talk to a human agent'): Promise<{ id: string; escalationId: string }> {
  const id = await newConversation(h)
  await h.call('POST', `/v1/conversations/${id}/messages`, { body: { text } })
  const opened = await waitFor(async () => (await events(id)).find((e) => e.type === 'escalation.opened'), 10_000, 'the escalation')
  await waitFor(async () => (await events(id)).some((e) => e.type === 'reply.completed'), 10_000, 'the handoff reply')
  return { id, escalationId: opened.data.escalationId as string }
}

async function agentWithSkills(skills: string[], available: boolean): Promise<ConsoleSessionRef> {
  const s = await consoleSession(h, h.a.id, 'agent')
  const me = (await call(s, 'GET', '/session')).body.user
  await call(admin, 'PATCH', `/people/${me.id}`, { skills })
  await call(s, 'PUT', '/me/availability', { available })
  return s
}

test('a queue takes handoffs by reason and assigns them round robin among available people with its skills', async () => {
  const queue = await call(supervisor, 'POST', '/queues', {
    name: 'Person requests', priority: 5, skills: ['people'], intents: [], categories: ['customer_asked'], assignment: 'round_robin',
    firstResponseSlaS: 120, resolutionSlaS: 1800, holdingIntervalS: 120,
  })
  expect(queue.status).toBe(201)
  const [ann, ben] = [await agentWithSkills(['people'], true), await agentWithSkills(['people'], true)]
  await agentWithSkills([], true) // available, but without the skill: never assigned here
  const first = await handoff()
  const second = await handoff()
  const takers = []
  for (const h2 of [first, second]) {
    const taken = (await events(h2.id)).find((e) => e.type === 'escalation.taken')!
    expect(taken.data).toMatchObject({ escalationId: h2.escalationId, assignedBy: 'round_robin' })
    takers.push(taken.data.agent)
    const reply = (await events(h2.id)).find((e) => e.type === 'reply.completed')!
    expect(reply.data.text).toContain('A member of our support team has your conversation')
  }
  expect(takers.sort()).toEqual([ann.email, ben.email].sort())
  const inbox = await call(ann, 'GET', '/inbox?category=customer_asked')
  expect(inbox.body.queues).toContainEqual(expect.objectContaining({ id: queue.body.id, name: 'Person requests', taken: 2, open: 0 }))
  expect(inbox.body.items.map((i: { escalationId: string }) => i.escalationId)).toEqual(expect.arrayContaining([first.escalationId, second.escalationId]))
  const mine = await call(ann, 'GET', `/inbox?assignee=${encodeURIComponent(ann.email)}`)
  expect(mine.body.items).toHaveLength(1)
  // Nobody is assigned when nobody is available: the handoff waits in the queue to be taken.
  for (const s of [ann, ben]) await call(s, 'PUT', '/me/availability', { available: false })
  const third = await handoff()
  expect((await events(third.id)).some((e) => e.type === 'escalation.taken')).toBe(false)
  const { id: _id, tenantId: _tenant, isDefault: _default, ...settings } = queue.body
  expect((await call(supervisor, 'PUT', `/queues/${queue.body.id}`, { ...settings, firstResponseSlaS: 0 })).status).toBe(400)
  expect((await call(supervisor, 'PUT', `/queues/${queue.body.id}`, { ...settings, isDefault: true })).status).toBe(400)
  expect((await call(supervisor, 'PUT', `/queues/${queue.body.id}`, { ...settings, assignment: 'take' })).body.assignment).toBe('take')
})

test('only the person holding a handoff answers; the first answer stops the clock; notes stay internal; the knowledge base suggests', async () => {
  await h.call('POST', '/v1/knowledge-bases', { body: { name: 'help' } })
  await h.call('POST', '/v1/knowledge-bases/help/articles', {
    body: { format: 'markdown', key: 'service', content: '# Customer service\n\nOur customer service team answers chats every day from 8 am to 8 pm, and emails within one day.' },
  })
  const anna = await consoleSession(h, h.a.id, 'agent')
  const bob = await consoleSession(h, h.a.id, 'agent')
  const { id, escalationId } = await handoff('Please connect me to customer service')
  const suggested = (await call(anna, 'GET', `/conversations/${id}`)).body.suggestions
  expect(suggested[0]).toMatchObject({ title: 'Customer service', passage: expect.stringContaining('answers chats every day') })
  expect((await call(anna, 'POST', `/conversations/${id}/messages`, { text: 'Hi!' })).body.error.code).toBe('conflict')
  expect((await call(anna, 'POST', `/escalations/${escalationId}/take`)).body).toMatchObject({ status: 'taken', takenBy: anna.email })
  expect((await call(bob, 'POST', `/escalations/${escalationId}/take`)).status).toBe(409)
  expect((await call(bob, 'POST', `/conversations/${id}/messages`, { text: 'Bob here' })).body.error.code).toBe('conflict')
  const sent = await call(anna, 'POST', `/conversations/${id}/messages`, { text: 'Anna here, how can I help?' })
  expect(sent.status).toBe(201)
  const reply = (await events(id)).find((e) => e.id === sent.body.id)!
  expect(reply.data).toMatchObject({ author: 'human_agent', agent: anna.email, text: 'Anna here, how can I help?' })
  const note = await call(anna, 'POST', `/conversations/${id}/notes`, { text: 'Customer sounds in a hurry; refund likely.' })
  expect(note.status).toBe(201)
  const detail = (await call(bob, 'GET', `/conversations/${id}`)).body
  expect(detail.notes).toEqual([expect.objectContaining({ text: 'Customer sounds in a hurry; refund likely.' })])
  expect(detail.handoffs[0].sla.firstResponseAt).not.toBeNull()
  expect(JSON.stringify(await events(id))).not.toContain('refund likely')
  expect((await h.call('GET', `/v1/conversations/${id}`)).body.messages.map((m: { text: string }) => m.text)).not.toContain('Customer sounds in a hurry; refund likely.')
})

test('transfers to a queue or a person are recorded; the package is rated; a resolved conversation is reviewed', async () => {
  const anna = await consoleSession(h, h.a.id, 'agent')
  const reviewer = await consoleSession(h, h.a.id, 'qa_reviewer')
  const { id, escalationId } = await handoff('I want to talk to a human agent, now')
  const queues = (await call(anna, 'GET', '/queues')).body.data as { id: string; name: string; isDefault: boolean }[]
  const general = queues.find((q) => q.isDefault)!
  expect((await call(anna, 'POST', `/escalations/${escalationId}/transfer`, { queueId: general.id, note: 'not a VIP' })).status).toBe(200)
  let item = (await call(anna, 'GET', `/inbox?queue=${general.id}`)).body.items.find((i: { escalationId: string }) => i.escalationId === escalationId)
  expect(item).toMatchObject({ status: 'open', queueId: general.id })
  expect((await call(anna, 'POST', `/escalations/${escalationId}/transfer`, { agent: anna.email })).status).toBe(200)
  item = (await call(anna, 'GET', '/inbox')).body.items.find((i: { escalationId: string }) => i.escalationId === escalationId)
  expect(item).toMatchObject({ status: 'taken', takenBy: anna.email })
  expect((await call(anna, 'POST', `/escalations/${escalationId}/transfer`, { agent: 'nobody@example.com' })).status).toBe(404)
  expect((await call(anna, 'POST', `/escalations/${escalationId}/transfer`, {})).status).toBe(400)
  const transfers = await h.platform.storage.sql`select to_queue, to_agent, by_user from handoff_transfers where escalation_id = ${escalationId} order by id`
  expect(transfers.map((t) => [t.to_queue, t.to_agent, t.by_user])).toEqual([[general.id, null, anna.email], [general.id, anna.email, anna.email]])

  const rated = await call(anna, 'POST', `/escalations/${escalationId}/rating`, { hadWhatNeeded: false, missing: ['history'], comment: 'earlier order not shown' })
  expect(rated.body).toMatchObject({ hadWhatNeeded: false, missing: ['history'] })
  expect((await call(anna, 'POST', `/escalations/${escalationId}/rating`, { hadWhatNeeded: true, missing: ['mood'] })).status).toBe(400)
  expect((await call(anna, 'POST', `/escalations/${escalationId}/resolve`, { handBack: false })).body.status).toBe('resolved')
  // Archived to the cold tier and back: the package, its rating and the transfers are all still there.
  const before = (await call(anna, 'GET', `/conversations/${id}`)).body.handoffs
  expect(await h.platform.storage.archiver.archive(id)).toBe('archived')
  expect(await h.platform.storage.archiver.restore(id)).toBe(true)
  expect((await call(anna, 'GET', `/conversations/${id}`)).body.handoffs).toEqual(before)
  expect(before[0]).toMatchObject({ rating: { hadWhatNeeded: false, missing: ['history'] }, package: { reason: { category: 'customer_asked' } } })
  expect(await h.platform.storage.sql`select 1 from handoff_transfers where escalation_id = ${escalationId}`).toHaveLength(2)

  const queue = await call(reviewer, 'GET', '/qa/queue')
  expect(queue.body.rubric.criteria.map((c: { id: string }) => c.id)).toEqual(['accuracy', 'policy', 'resolution', 'tone', 'handoff'])
  expect(queue.body.data.map((c: { conversationId: string }) => c.conversationId)).toContain(id)
  const scores = { accuracy: 5, policy: 5, resolution: 3, tone: 4, handoff: 5 }
  const review = await call(reviewer, 'POST', `/qa/reviews/${id}`, { scores, comment: 'fine' })
  expect(review.body).toMatchObject({ conversationId: id, score: 0.85, rubricVersion: 'rubric-2026.1' })
  expect((await call(reviewer, 'POST', `/qa/reviews/${id}`, { scores: { ...scores, tone: 9 } })).status).toBe(400)
  expect((await call(reviewer, 'POST', `/qa/reviews/${id}`, { scores: { accuracy: 5 } })).status).toBe(400)
})

test("another tenant's people see and touch none of it", async () => {
  const { id, escalationId } = await handoff()
  const eve = await consoleSession(h, h.b.id, 'admin')
  expect((await call(eve, 'GET', '/inbox')).body.items).toEqual([])
  expect((await call(eve, 'GET', `/conversations/${id}`)).status).toBe(404)
  expect((await call(eve, 'GET', `/conversations/${id}/events`)).status).toBe(404)
  expect((await call(eve, 'POST', `/escalations/${escalationId}/take`)).status).toBe(404)
  expect((await call(eve, 'POST', `/escalations/${escalationId}/rating`, { hadWhatNeeded: true })).status).toBe(404)
  expect((await call(eve, 'POST', `/escalations/${escalationId}/transfer`, { agent: eve.email })).status).toBe(404)
  expect((await call(eve, 'POST', `/conversations/${id}/notes`, { text: 'hi' })).status).toBe(404)
  expect((await call(eve, 'POST', `/qa/reviews/${id}`, { scores: { accuracy: 1, policy: 1, resolution: 1, tone: 1, handoff: 1 } })).status).toBe(404)
})
