// Tickets in: the webhook (generic, Zendesk- and Freshdesk-style) and the producer module share validation and
// ids, so a ticket is one conversation however it arrives, and a redelivered comment lands once.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { createTicketProducer, InvalidInput, ticketConversationId } from '../../channels/index.ts'
import { waitFor } from '../support/wait.ts'
import { startApiHarness, type ApiHarness } from '../api/harness.ts'

let h: ApiHarness
beforeAll(async () => { h = await startApiHarness() })
afterAll(async () => { await h.close() })

const transcript = async (id: string) => (await h.call('GET', `/v1/conversations/${id}`)).body
const customerTexts = async (id: string) =>
  (await transcript(id)).messages.filter((m: { role: string }) => m.role === 'customer').map((m: { text: string }) => m.text)

test('generic: created, commented, redelivered and solved land in one conversation', async () => {
  const created = await h.call('POST', '/v1/tickets/generic', {
    body: { event: 'ticket.created', ticket: { id: 'T-100', subject: 'Late parcel', requester: { email: 'sam@example.com' } }, comment: { id: 'c1', body: 'My parcel is late' } },
  })
  expect(created.status).toBe(202)
  const id = created.body.conversationId
  const update = { event: 'ticket.updated', ticket: { id: 'T-100' }, comment: { id: 'c2', body: 'Any news?' } }
  expect((await h.call('POST', '/v1/tickets/generic', { body: update })).body.conversationId).toBe(id)
  await h.call('POST', '/v1/tickets/generic', { body: update })
  expect(await customerTexts(id)).toEqual(['My parcel is late', 'Any news?'])
  const convo = await transcript(id)
  expect(convo).toMatchObject({ channel: 'ticket', externalId: 'generic:T-100', customerId: expect.stringMatching(/^cus_/) })
  await waitFor(async () => (await transcript(id)).messages.filter((m: { role: string }) => m.role === 'assistant').length === 2, 10_000, 'two replies')
  const solved = await h.call('POST', '/v1/tickets/generic', { body: { event: 'ticket.updated', ticket: { id: 'T-100', status: 'solved' } } })
  expect(solved.body.status).toBe('closed')
})

test('zendesk: the description is the first turn, customer comments follow, staff comments are ignored', async () => {
  const created = await h.call('POST', '/v1/tickets/zendesk', {
    body: { type: 'zen:event-type:ticket.created', detail: { id: 501, subject: 'Refund', description: 'I want a refund', status: 'NEW', requester_id: 77 } },
  })
  const id = created.body.conversationId
  const comment = (body: string, isStaff: boolean, commentId: number) => h.call('POST', '/v1/tickets/zendesk', {
    body: { type: 'zen:event-type:ticket.comment_added', detail: { id: 501 }, event: { comment: { id: commentId, body, author: { is_staff: isStaff } } } },
  })
  await comment('Here is our reply', true, 1)
  expect((await comment('Order #W123', false, 2)).body.conversationId).toBe(id)
  expect(await customerTexts(id)).toEqual(['I want a refund', 'Order #W123'])
  expect((await transcript(id)).externalId).toBe('zendesk:501')
})

test('freshdesk: a created ticket and later public comments, the same words twice kept twice, a redelivery once', async () => {
  const base = { ticket_id: 9, ticket_subject: 'Exchange', ticket_requester_email: 'kim@example.com' }
  const created = await h.call('POST', '/v1/tickets/freshdesk', { body: { freshdesk_webhook: { ...base, ticket_description: 'Wrong size' } } })
  const reply = (text: string, at: string) => h.call('POST', '/v1/tickets/freshdesk', {
    body: { freshdesk_webhook: { ...base, triggered_event: '{ticket_action:updated}', ticket_latest_public_comment: text, ticket_updated_at: at } },
  })
  const update = await reply('yes', '2026-03-01T10:00:00Z')
  expect(update.status).toBe(202)
  expect(update.body.conversationId).toBe(created.body.conversationId)
  await reply('no', '2026-03-01T10:01:00Z')
  await reply('yes', '2026-03-01T10:02:00Z')
  await reply('yes', '2026-03-01T10:02:00Z')
  expect(await customerTexts(created.body.conversationId)).toEqual(['Wrong size', 'yes', 'no', 'yes'])
  const unnamed = await h.call('POST', '/v1/tickets/freshdesk', {
    body: { freshdesk_webhook: { ...base, triggered_event: '{ticket_action:updated}', ticket_latest_public_comment: 'no id' } },
  })
  expect(unnamed.status).toBe(400)
  expect(unnamed.body.error.details).toEqual([{ path: '/freshdesk_webhook/ticket_updated_at', message: expect.any(String) }])
})

test('zendesk: a customer comment on a solved ticket they reopened opens the conversation again and is answered', async () => {
  const ticket = crypto.randomUUID()
  const event = (type: string, detail: Record<string, unknown>, comment?: Record<string, unknown>) => h.call('POST', '/v1/tickets/zendesk', {
    body: { id: `evt-${crypto.randomUUID()}`, type: `zen:event-type:${type}`, detail: { id: ticket, ...detail }, ...(comment ? { event: { comment } } : {}) },
  })
  const created = await event('ticket.created', { description: 'Where is my parcel?', status: 'NEW', requester_id: 5 })
  const id = created.body.conversationId
  await waitFor(async () => (await transcript(id)).messages.length === 2, 10_000, 'the first reply')
  const customer = { id: 31, body: 'Still not here', author: { is_staff: false } }
  expect((await event('ticket.status_changed', { status: 'SOLVED' })).body.status).toBe('closed')
  const reopened = await event('ticket.comment_added', { status: 'OPEN' }, customer)
  expect(reopened.status).toBe(202)
  expect(reopened.body).toMatchObject({ conversationId: id, status: 'open', messageId: expect.stringMatching(/^tkm_/) })
  expect((await event('ticket.comment_added', { status: 'OPEN' }, customer)).body.status).toBe('open')
  expect(await customerTexts(id)).toEqual(['Where is my parcel?', 'Still not here'])
  await waitFor(async () => (await transcript(id)).messages.filter((m: { role: string }) => m.role === 'assistant').length === 2, 10_000, 'the answer')
  expect((await transcript(id)).status).toBe('open')
  const unnamed = await h.call('POST', '/v1/tickets/zendesk', {
    body: { type: 'zen:event-type:ticket.comment_added', detail: { id: ticket }, event: { comment: { body: 'no id', author: { is_staff: false } } } },
  })
  expect({ status: unnamed.status, path: unnamed.body.error.details[0].path }).toEqual({ status: 400, path: '/event/comment/id' })
})

test('zendesk: a redelivered comment already taken before the ticket closed reopens nothing', async () => {
  const ticket = crypto.randomUUID()
  const comment = { type: 'zen:event-type:ticket.comment_added', detail: { id: ticket }, event: { comment: { id: 1, body: 'hello', author: { is_staff: false } } } }
  const first = await h.call('POST', '/v1/tickets/zendesk', { body: comment })
  await h.call('POST', '/v1/tickets/zendesk', { body: { type: 'zen:event-type:ticket.status_changed', detail: { id: ticket, status: 'SOLVED' } } })
  const again = await h.call('POST', '/v1/tickets/zendesk', { body: comment })
  expect(again.body).toEqual({ ...first.body, status: 'closed' })
  expect(await customerTexts(first.body.conversationId)).toEqual(['hello'])
})

test('the producer enqueues with the same ids and the same validation as the webhook', async () => {
  const producer = createTicketProducer({
    tenantId: h.a.id, redisUrl: h.redis.url, databaseUrl: h.db.url, schema: h.db.schema, prefix: h.redis.prefix,
  })
  try {
    const event = { event: 'ticket.created', ticket: { id: 'P-1' }, comment: { id: 'c1', body: 'From a backend service' } }
    const result = await producer.submit(event)
    expect(result.conversationId).toBe(ticketConversationId(h.a.id, 'generic', 'P-1'))
    const viaWebhook = await h.call('POST', '/v1/tickets/generic', { body: event })
    expect(viaWebhook.body).toEqual(result)
    expect(await customerTexts(result.conversationId)).toEqual(['From a backend service'])
    await waitFor(async () => (await transcript(result.conversationId)).messages.length === 2, 10_000, 'the reply')
    const bad = await producer.submit({ event: 'ticket.created', ticket: {} }).catch((e: unknown) => e)
    expect(bad).toBeInstanceOf(InvalidInput)
    expect((bad as InvalidInput).details[0]!.path).toBe('/ticket/id')
    const nul = await producer.submit({ event: 'ticket.created', ticket: { id: 'P-2' }, comment: { id: 'c1', body: 'a\u0000b' } }).catch((e: unknown) => e)
    expect((nul as InvalidInput).details).toEqual([{ path: '/comment/body', message: 'must not contain NUL (U+0000)' }])
  } finally {
    await producer.close()
  }
})

test("a ticket of an erased customer is refused as erased (410), and nothing of it is stored again", async () => {
  const ticket = { event: 'ticket.created', ticket: { id: 'T-ERASED', requester: { email: 'gone@example.com' } }, comment: { id: 'c1', body: 'hello' } }
  const created = await h.call('POST', '/v1/tickets/generic', { body: ticket })
  const customerId = (await transcript(created.body.conversationId)).customerId
  await waitFor(async () => (await transcript(created.body.conversationId)).messages.length === 2, 10_000, 'the reply')
  expect((await h.call('POST', `/v1/customers/${customerId}/erase`, { body: {} })).status).toBe(200)
  const later = await h.call('POST', '/v1/tickets/generic', { body: { event: 'ticket.updated', ticket: { id: 'T-ERASED' }, comment: { id: 'c2', body: 'still there?' } } })
  expect({ status: later.status, code: later.body.error.code }).toEqual({ status: 410, code: 'conversation.erased' })
  expect((await h.call('GET', `/v1/conversations/${created.body.conversationId}`)).status).toBe(404)
})
