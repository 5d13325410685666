// Replies back into tickets: the agent's and the human agents' replies are posted to the ticket as comments through
// the ticket system's REST API (a loopback emulator of Zendesk's and Freshdesk's), once each, retried with backoff
// and dead-lettered after the last attempt; our own comments coming back by webhook are not customer turns; the
// connection's secret never appears in an answer, an error or a log line.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setLogLevel } from '../../lib/log.ts'
import { waitFor } from '../support/wait.ts'
import { startApiHarness, type ApiHarness, type TestTenant } from '../api/harness.ts'
import { startTicketEmulator, type TicketEmulator } from './ticket-emulator.ts'

const SECRETS = { zendesk: { email: 'bot@acme.example', token: 'zd-token-0123456789abcdef' }, freshdesk: { key: 'fd-key-0123456789abcdef' } }

let h: ApiHarness
let emulator: TicketEmulator
let tenant: TestTenant
let blobDir: string
const logged: string[] = []
const writeStderr = process.stderr.write.bind(process.stderr)

beforeAll(async () => {
  setLogLevel('debug')
  process.stderr.write = ((chunk: string | Uint8Array, ...rest: never[]) => (logged.push(String(chunk)), writeStderr(chunk, ...rest))) as typeof process.stderr.write
  emulator = startTicketEmulator(SECRETS)
  blobDir = await mkdtemp(join(tmpdir(), 'switchboard-blobs-'))
  h = await startApiHarness({ WEBHOOK_MAX_ATTEMPTS: '3', WEBHOOK_BACKOFF_MS: '50', TICKET_REPLY_POLL_MS: '50', BLOB_DIR: blobDir })
  tenant = await h.tenant('tenant-tickets')
  const zendesk = { baseUrl: emulator.url, email: SECRETS.zendesk.email, secret: SECRETS.zendesk.token }
  expect((await h.call('PUT', '/v1/ticket-connections/zendesk', { key: tenant.key, body: zendesk })).status).toBe(200)
  expect((await h.call('PUT', '/v1/ticket-connections/freshdesk', { key: tenant.key, body: { baseUrl: emulator.url, secret: SECRETS.freshdesk.key } })).status).toBe(200)
})
afterAll(async () => {
  await h.close()
  emulator.close()
  process.stderr.write = writeStderr
  setLogLevel('error')
  await rm(blobDir, { recursive: true, force: true })
})

const transcript = async (id: string) => (await h.call('GET', `/v1/conversations/${id}`, { key: tenant.key })).body
const replies = async (status?: string) => (await h.call('GET', `/v1/ticket-replies${status ? `?status=${status}` : ''}`, { key: tenant.key })).body.data
const commentsOn = (ticketId: string) => emulator.comments.filter((c) => c.ticketId === ticketId)

async function zendeskTicket(ticketId: string, description: string): Promise<string> {
  const created = await h.call('POST', '/v1/tickets/zendesk', {
    key: tenant.key, body: { id: `evt-${ticketId}`, type: 'zen:event-type:ticket.created', detail: { id: ticketId, description, requester_id: ticketId } },
  })
  return created.body.conversationId
}

test('the agent\'s and a person\'s replies reach the Zendesk ticket once each, as public comments', async () => {
  const id = await zendeskTicket('900', 'Where is my order #W123?')
  await waitFor(async () => commentsOn('900').length === 1, 15_000, 'the agent reply on the ticket')
  const agentReply = (await transcript(id)).messages.find((m: { role: string }) => m.role === 'assistant').text
  expect(commentsOn('900')[0]).toMatchObject({ system: 'zendesk', body: agentReply, public: true })
  const person = await h.call('POST', `/v1/conversations/${id}/agent-messages`, { key: tenant.key, body: { text: 'Anna here, checking now.', agent: 'anna' } })
  expect(person.status).toBe(201)
  await waitFor(async () => commentsOn('900').length === 2, 15_000, "the person's reply on the ticket")
  expect(commentsOn('900')[1]!.body).toBe('Anna here, checking now.')
  const posted = await waitFor(async () => {
    const list = (await replies('posted')).filter((r: { conversationId: string }) => r.conversationId === id)
    return list.length === 2 && list
  }, 5000, 'both recorded as posted')
  expect(posted.map((r: { remoteId: string }) => r.remoteId).sort()).toEqual(commentsOn('900').map((c) => String(c.id)).sort())
  // Each reply was posted by exactly one successful request.
  const successes = emulator.requests.filter((r) => r.ticketId === '900' && r.status === 200).map((r) => r.idempotencyKey)
  expect(new Set(successes).size).toBe(successes.length)
})

test('our own comment coming back by webhook is not a customer turn', async () => {
  const id = await zendeskTicket('901', 'Hello')
  await waitFor(async () => commentsOn('901').length === 1, 15_000, 'the reply on the ticket')
  await waitFor(async () => (await replies('posted')).some((r: { conversationId: string }) => r.conversationId === id), 5000, 'posted')
  const own = commentsOn('901')[0]!
  const echo = await h.call('POST', '/v1/tickets/zendesk', {
    key: tenant.key, body: { type: 'zen:event-type:ticket.comment_added', detail: { id: '901' }, event: { comment: { id: own.id, body: own.body, author: { is_staff: false } } } },
  })
  expect(echo.status).toBe(202)
  expect(echo.body.messageId).toBeUndefined()
  expect((await transcript(id)).messages.filter((m: { role: string }) => m.role === 'customer')).toHaveLength(1)
})

test('a Freshdesk ticket that fails twice gets its reply on the third attempt, once; text goes as escaped HTML', async () => {
  emulator.failNext('77', 2, 503)
  const created = await h.call('POST', '/v1/tickets/freshdesk', {
    key: tenant.key, body: { freshdesk_webhook: { ticket_id: 77, ticket_subject: 'Size', ticket_description: 'I want to exchange my order' } },
  })
  expect(created.status).toBe(202)
  const id = created.body.conversationId
  await waitFor(async () => commentsOn('77').length === 1, 15_000, 'the reply after retries')
  const [row] = await waitFor(async () => {
    const list = (await replies()).filter((r: { conversationId: string; status: string }) => r.conversationId === id && r.status === 'posted')
    return list.length === 1 && list
  }, 5000, 'posted')
  expect(row).toMatchObject({ attempts: 3, source: 'freshdesk', ticketId: '77' })
  expect(emulator.requests.filter((r) => r.ticketId === '77').map((r) => r.status)).toEqual([503, 503, 201])
  await h.call('POST', `/v1/conversations/${id}/agent-messages`, { key: tenant.key, body: { text: 'Size <b>M</b> & L\nare in stock', agent: 'kim' } })
  await waitFor(async () => commentsOn('77').length === 2, 15_000, "the person's reply")
  expect(commentsOn('77')[1]!.body).toBe('Size &lt;b&gt;M&lt;/b&gt; &amp; L<br>are in stock')
})

test('a reply the ticket system keeps refusing is dead-lettered, and goes out when sent round again', async () => {
  emulator.failNext('902', 3, 500)
  const id = await zendeskTicket('902', 'Anyone?')
  const [dead] = await waitFor(async () => {
    const list = (await replies('dead')).filter((r: { conversationId: string }) => r.conversationId === id)
    return list.length === 1 && list
  }, 15_000, 'the dead letter')
  expect(dead).toMatchObject({ attempts: 3, lastStatusCode: 500, lastError: 'HTTP 500' })
  expect(commentsOn('902')).toEqual([])
  expect((await h.call('POST', `/v1/ticket-replies/${dead.messageId}/retry`, { key: tenant.key })).body).toEqual({ messageId: dead.messageId, status: 'pending' })
  await waitFor(async () => commentsOn('902').length === 1, 15_000, 'the retried reply')
  expect((await h.call('POST', `/v1/ticket-replies/${dead.messageId}/retry`, { key: tenant.key })).status).toBe(404)
})

test('bad credentials dead-letter at once; the secret is never shown, in answers, errors or logs', async () => {
  const wrong = 'zd-token-wrong-000000000'
  await h.call('PUT', '/v1/ticket-connections/zendesk', { key: tenant.key, body: { baseUrl: emulator.url, email: SECRETS.zendesk.email, secret: wrong } })
  const id = await zendeskTicket('903', 'Locked out')
  const [dead] = await waitFor(async () => {
    const list = (await replies('dead')).filter((r: { conversationId: string }) => r.conversationId === id)
    return list.length === 1 && list
  }, 15_000, 'the dead letter')
  expect(dead).toMatchObject({ attempts: 1, lastStatusCode: 401, lastError: 'HTTP 401' })
  await h.call('PUT', '/v1/ticket-connections/zendesk', { key: tenant.key, body: { baseUrl: emulator.url, email: SECRETS.zendesk.email, secret: SECRETS.zendesk.token } })
  const listed = await h.call('GET', '/v1/ticket-connections', { key: tenant.key })
  expect(listed.body.data.map((c: { source: string }) => c.source)).toEqual(['freshdesk', 'zendesk'])
  const seen = JSON.stringify([listed.body, await replies(), logged])
  for (const secret of [SECRETS.zendesk.token, SECRETS.freshdesk.key, wrong]) expect(seen).not.toContain(secret)
  expect(logged.some((line) => line.includes('ticket reply dead-lettered'))).toBe(true)
})

test('a connection refuses an address carrying credentials, and Zendesk needs the agent email', async () => {
  const put = (source: string, body: unknown) => h.call('PUT', `/v1/ticket-connections/${source}`, { key: tenant.key, body })
  expect((await put('zendesk', { baseUrl: 'https://user:pw@acme.zendesk.com', email: 'a@b.cd', secret: 'x'.repeat(10) })).status).toBe(400)
  expect((await put('zendesk', { baseUrl: 'https://acme.zendesk.com', secret: 'x'.repeat(10) })).status).toBe(400)
  expect((await put('jira', { baseUrl: 'https://acme.example', secret: 'x'.repeat(10) })).status).toBe(400)
  expect((await h.call('PUT', '/v1/ticket-connections/freshdesk', { key: h.a.key, body: { baseUrl: 'https://a.example', secret: 'x'.repeat(10) } })).status).toBe(200)
  expect((await h.call('DELETE', '/v1/ticket-connections/freshdesk', { key: h.a.key })).body).toEqual({ source: 'freshdesk', connected: false })
})

test('restoring an archived ticket conversation queues none of its old replies; erasure removes its outbox rows', async () => {
  const late = await h.tenant('tenant-late')
  const created = await h.call('POST', '/v1/tickets/zendesk', {
    key: late.key, body: { type: 'zen:event-type:ticket.created', detail: { id: 'L-1', description: 'Before the connection', requester_id: 4 } },
  })
  const id = created.body.conversationId
  await waitFor(async () => (await h.call('GET', `/v1/conversations/${id}`, { key: late.key })).body.messages.length === 2, 15_000, 'the reply')
  await h.call('PUT', '/v1/ticket-connections/zendesk', { key: late.key, body: { baseUrl: emulator.url, email: SECRETS.zendesk.email, secret: SECRETS.zendesk.token } })
  const outbox = async (conversationId: string) => (await h.db.sql`select 1 from ticket_replies where conversation_id = ${conversationId}`).length
  expect(await h.platform.storage.archiver.archive(id)).toBe('archived')
  expect(await h.platform.storage.archiver.restore(id)).toBe(true)
  expect(await outbox(id)).toBe(0)

  const posted = await zendeskTicket('904', 'Erase me later')
  await waitFor(async () => outbox(posted), 15_000, 'an outbox row')
  const { customerId } = await transcript(posted)
  expect((await h.call('POST', `/v1/customers/${customerId}/erase`, { key: tenant.key })).body.warmRows.ticket_replies).toBe(1)
  expect(await outbox(posted)).toBe(0)
})
