// One order per conversation, the transcript's: replies follow the customer messages' sequence, whether posts
// overlap or mail reaches the actor in another order (or late, or never).
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { startApiHarness, newConversation, type ApiHarness } from '../api/harness.ts'
import { waitFor } from '../support/wait.ts'

let h: ApiHarness

beforeAll(async () => {
  // A model slow enough that posts pile up in the mailbox behind the first turn.
  h = await startApiHarness({ ECHO_DELAY_MS: '40' })
})

afterAll(() => h.close())

async function transcript(conversationId: string): Promise<{ asked: string[]; answered: string[] }> {
  const rows = await h.db.sql<{ id: string; role: string; turnId: string | null }[]>`select id, role, turn_id as "turnId"
    from messages where conversation_id = ${conversationId} and role in ('customer', 'assistant') order by seq`
  return { asked: rows.filter((r) => r.role === 'customer').map((r) => r.id), answered: rows.filter((r) => r.role === 'assistant').map((r) => r.turnId!) }
}

async function streamedReplies(conversationId: string): Promise<string[]> {
  const entries = await h.platform.storage.events.read(conversationId, '0', { count: 1000 })
  return entries.filter((e) => e.event.type === 'reply.completed').map((e) => (e.event.data as { turnId: string }).turnId)
}

async function allAnswered(conversationId: string, n: number): Promise<void> {
  await waitFor(async () => (await transcript(conversationId)).answered.length >= n, 20_000, `${n} replies in ${conversationId}`)
}

test('ten posts at once to one conversation are answered in the transcript order, on the stream too', async () => {
  const conversations = await Promise.all(Array.from({ length: 4 }, () => newConversation(h)))
  await Promise.all(conversations.flatMap((id) => Array.from({ length: 10 }, async (_, i) => {
    // Keyed posts (a transaction each) and unkeyed ones (batched statements) overlap, as clients mix them.
    const headers: Record<string, string> = i % 2 ? { 'idempotency-key': crypto.randomUUID() } : {}
    const res = await h.call('POST', `/v1/conversations/${id}/messages`, { body: { text: `m${i}` }, headers })
    expect(res.status).toBe(202)
  })))
  for (const id of conversations) {
    await allAnswered(id, 10)
    const { asked, answered } = await transcript(id)
    expect(asked).toHaveLength(10)
    expect(answered).toEqual(asked)
    expect(await streamedReplies(id)).toEqual(asked)
  }
}, 60_000)

test('mail that arrives before an earlier message’s mail waits for it; the late mail answers nothing twice', async () => {
  const id = await newConversation(h)
  const tag = crypto.randomUUID().slice(0, 8)
  const [first, second] = [`msg_late_first_${tag}`, `msg_early_second_${tag}`]
  for (const [messageId, text] of [[first, 'where is my order?'], [second, 'it was due last week']] as const) {
    expect(await h.platform.storage.chat.postMessage('tenant-a', { id: messageId, conversationId: id, text })).toBe('inserted')
  }
  const mail = (messageId: string, text: string) => h.platform.mailbox.send({
    v: 1, id: messageId, kind: 'turn.received', conversationId: id, sentAt: Date.now(), payload: { text, channel: 'chat' },
  })
  // Only the later message is mailed, as when a Redis that lost the earlier mail receives the later.
  await mail(second, 'it was due last week')
  await allAnswered(id, 2)
  expect((await transcript(id)).answered).toEqual([first, second])
  // The earlier message's own mail comes after all: it finds its turn answered and adds nothing.
  await mail(first, 'where is my order?')
  await waitFor(async () => (await h.platform.mailbox.backlog(id)) === 0 && (await h.platform.host!.stats()).mailboxBacklog === 0, 10_000, 'late mail handled')
  await Bun.sleep(200)
  expect((await transcript(id)).answered).toEqual([first, second])
  expect(await streamedReplies(id)).toEqual([first, second])
}, 30_000)

test('a message passed to the humans in charge is not taken for lost mail by later turns', async () => {
  const id = await newConversation(h)
  expect((await h.call('POST', `/v1/conversations/${id}/messages`, { body: { text: 'I want to talk to a person' } })).status).toBe(202)
  await allAnswered(id, 1)
  const [row] = await h.db.sql<{ status: string }[]>`select status from conversations where id = ${id}`
  if (row!.status !== 'escalated') await h.db.sql`update conversations set status = 'escalated' where id = ${id}`
  const passed = (await h.call('POST', `/v1/conversations/${id}/messages`, { body: { text: 'hello?' } })).body.id as string
  await waitFor(async () => (await h.db.sql`select 1 from turn_steps where turn_id = ${passed} and step = 'passed'`).length === 1, 10_000, 'passed on')
  // Handed back to the agent: the next turn answers only its own message, not the one the humans had.
  await h.db.sql`update conversations set status = 'open' where id = ${id}`
  const next = (await h.call('POST', `/v1/conversations/${id}/messages`, { body: { text: 'thanks, one more question' } })).body.id as string
  await waitFor(async () => (await transcript(id)).answered.includes(next), 10_000, 'the next reply')
  expect((await transcript(id)).answered).not.toContain(passed)
}, 30_000)
