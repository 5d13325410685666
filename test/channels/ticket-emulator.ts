// A loopback emulator of the two ticket REST endpoints replies are posted to: Zendesk's ticket update with a
// comment (PUT /api/v2/tickets/:id.json, Basic `email/token:token`) and Freshdesk's ticket reply
// (POST /api/v2/tickets/:id/reply, Basic `key:X`). It checks credentials, honours Idempotency-Key, records every
// request and comment, and can be told to fail.

export interface EmulatedComment {
  id: number
  system: 'zendesk' | 'freshdesk'
  ticketId: string
  body: string
  public: boolean
  idempotencyKey: string | null
}

export interface TicketEmulator {
  url: string
  comments: EmulatedComment[]
  /** Every request, answered or not: `status` is what it got. */
  requests: { system: string; ticketId: string; status: number; idempotencyKey: string | null; authorization: string | null }[]
  /** The next `count` posts to `ticketId` answer `status` (with a Retry-After of 0 on a 429 or 503). */
  failNext(ticketId: string, count: number, status: number): void
  close(): void
}

export interface Credentials {
  zendesk: { email: string; token: string }
  freshdesk: { key: string }
}

const ROUTES: Array<[RegExp, 'zendesk' | 'freshdesk', string]> = [
  [/^\/api\/v2\/tickets\/([^/]+)\.json$/, 'zendesk', 'PUT'],
  [/^\/api\/v2\/tickets\/([^/]+)\/reply$/, 'freshdesk', 'POST'],
]

const basic = (s: string) => `Basic ${Buffer.from(s).toString('base64')}`

export function startTicketEmulator(credentials: Credentials): TicketEmulator {
  const failures = new Map<string, { count: number; status: number }>()
  const answered = new Map<string, { status: number; body: unknown }>()
  const emulator: Omit<TicketEmulator, 'url' | 'close'> = {
    comments: [], requests: [],
    failNext: (ticketId, count, status) => void failures.set(ticketId, { count, status }),
  }
  const expected = { zendesk: basic(`${credentials.zendesk.email}/token:${credentials.zendesk.token}`), freshdesk: basic(`${credentials.freshdesk.key}:X`) }

  async function answer(req: Request, system: 'zendesk' | 'freshdesk', ticketId: string): Promise<{ status: number; body: unknown }> {
    if (req.headers.get('authorization') !== expected[system]) return { status: 401, body: { error: "Couldn't authenticate you" } }
    const failure = failures.get(ticketId)
    if (failure && failure.count > 0) return (failure.count--, { status: failure.status, body: { error: 'unavailable' } })
    const key = req.headers.get('idempotency-key')
    const seen = key ? answered.get(key) : undefined
    if (seen) return seen
    const json = (await req.json()) as { ticket?: { comment?: { body: string; public?: boolean } }; body?: string }
    const comment: EmulatedComment = {
      id: 1000 + emulator.comments.length, system, ticketId, idempotencyKey: key,
      body: system === 'zendesk' ? json.ticket!.comment!.body : json.body!, public: system === 'zendesk' ? json.ticket!.comment!.public === true : true,
    }
    emulator.comments.push(comment)
    const result = system === 'zendesk'
      ? { status: 200, body: { ticket: { id: Number(ticketId) || ticketId }, audit: { id: comment.id + 5000, events: [{ id: comment.id, type: 'Comment', body: comment.body, public: comment.public }] } } }
      : { status: 201, body: { id: comment.id, body: comment.body, ticket_id: Number(ticketId) || ticketId } }
    if (key) answered.set(key, result)
    return result
  }

  const server = Bun.serve({
    port: 0, hostname: '127.0.0.1',
    async fetch(req) {
      const path = new URL(req.url).pathname
      const route = ROUTES.map(([pattern, system, method]) => ({ m: pattern.exec(path), system, method })).find((r) => r.m && r.method === req.method)
      if (!route) return Response.json({ error: 'not found' }, { status: 404 })
      const ticketId = decodeURIComponent(route.m![1]!)
      const { status, body } = await answer(req, route.system, ticketId)
      emulator.requests.push({ system: route.system, ticketId, status, idempotencyKey: req.headers.get('idempotency-key'), authorization: req.headers.get('authorization') })
      const headers = status === 429 || status === 503 ? { 'retry-after': '0' } : undefined
      return Response.json(body, { status, headers })
    },
  })
  return { ...emulator, url: `http://127.0.0.1:${server.port}`, close: () => server.stop(true) }
}
