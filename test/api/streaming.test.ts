// Over a real socket: post a message, read its reply over SSE, reconnect with Last-Event-ID and see only what
// came after; the WebSocket carries the same events.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { customerToken, newConversation, startApiHarness, type ApiHarness } from './harness.ts'

interface SseEvent {
  id: string
  event: string
  data: { type: string; data: Record<string, unknown> }
}

let h: ApiHarness
let base: string

beforeAll(async () => {
  h = await startApiHarness()
  h.platform.app!.listen({ hostname: '127.0.0.1', port: 0 })
  base = `http://127.0.0.1:${h.platform.app!.server!.port}`
})
afterAll(async () => { await h.close() })

/** Opens an SSE stream and yields parsed events until `until` says stop. */
async function readSse(path: string, headers: Record<string, string>, until: (seen: SseEvent[]) => boolean): Promise<SseEvent[]> {
  const abort = new AbortController()
  const res = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${h.a.key}`, ...headers }, signal: abort.signal })
  expect(res.status).toBe(200)
  expect(res.headers.get('content-type')).toContain('text/event-stream')
  const reader = res.body!.getReader()
  const decoder = new TextDecoder()
  const seen: SseEvent[] = []
  let buffer = ''
  const deadline = setTimeout(() => abort.abort(), 10_000)
  while (!until(seen)) {
    const { value, done } = await reader.read()
    if (done) break
    buffer += decoder.decode(value)
    const frames = buffer.split('\n\n')
    buffer = frames.pop()!
    for (const frame of frames) {
      const fields = Object.fromEntries(frame.split('\n').filter((l) => !l.startsWith(':') && l.includes(': ')).map((l) => [l.slice(0, l.indexOf(': ')), l.slice(l.indexOf(': ') + 2)]))
      if (fields.data) seen.push({ id: fields.id!, event: fields.event!, data: JSON.parse(fields.data) })
    }
  }
  clearTimeout(deadline)
  abort.abort()
  return seen
}

const post = async (conversationId: string, text: string) => {
  const res = await fetch(`${base}/v1/conversations/${conversationId}/messages`, {
    method: 'POST', headers: { authorization: `Bearer ${h.a.key}`, 'content-type': 'application/json' }, body: JSON.stringify({ text }),
  })
  expect(res.status).toBe(202)
  return ((await res.json()) as { id: string }).id
}

const replies = (events: SseEvent[]) => events.filter((e) => e.event === 'reply.completed').map((e) => e.data.data.turnId)

test('SSE delivers the reply, and a reconnect with Last-Event-ID misses nothing and repeats nothing', async () => {
  const id = await newConversation(h)
  const first = await post(id, 'first')
  const opened = await readSse(`/v1/conversations/${id}/events`, {}, (seen) => replies(seen).length >= 1)
  expect(replies(opened)).toEqual([first])
  const lastId = opened[opened.length - 1]!.id

  // While the client is away, two more turns are answered.
  const second = await post(id, 'second')
  const third = await post(id, 'third')
  const resumed = await readSse(`/v1/conversations/${id}/events`, { 'last-event-id': lastId }, (seen) => replies(seen).length >= 2)
  expect(replies(resumed)).toEqual([second, third])
  expect(resumed.every((e) => e.id > lastId)).toBe(true)
})

test('a live stream gets replies posted after it opened', async () => {
  const id = await newConversation(h)
  const reading = readSse(`/v1/conversations/${id}/events`, {}, (seen) => replies(seen).length >= 3)
  await Bun.sleep(50)
  const sent = [await post(id, 'a'), await post(id, 'b'), await post(id, 'c')]
  expect(replies(await reading)).toEqual(sent)
})

test('the WebSocket carries the same events', async () => {
  const id = await newConversation(h)
  const sent = await post(id, 'over websocket')
  const received: { cursor: string; event: { type: string; data: { turnId?: string } } }[] = []
  const ws = new WebSocket(`${base.replace('http', 'ws')}/v1/conversations/${id}/stream?access_token=${await customerToken(h, id)}`)
  await new Promise<void>((resolve, reject) => {
    ws.onmessage = (m) => {
      received.push(JSON.parse(String(m.data)))
      if (received.some((r) => r.event.type === 'reply.completed')) resolve()
    }
    ws.onerror = () => reject(new Error('websocket failed'))
    setTimeout(() => reject(new Error('no event over websocket')), 10_000)
  })
  ws.close()
  expect(received.find((r) => r.event.type === 'reply.completed')!.event.data.turnId).toBe(sent)
})

test('SSE and WebSocket refuse a missing key', async () => {
  const id = await newConversation(h)
  expect((await fetch(`${base}/v1/conversations/${id}/events`)).status).toBe(401)
  expect((await fetch(`${base}/v1/conversations/${id}/stream`, { headers: { upgrade: 'websocket' } })).status).toBe(401)
})
