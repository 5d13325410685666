// Posting one reply to a ticket as a public comment, through the ticket system's REST API: Zendesk (a ticket update
// carrying a comment) and Freshdesk (a ticket reply). The credentials travel in the Authorization header only; no
// outcome, error or log line carries them.
import { tracedFetch } from '../../lib/spans.ts'
import type { DueTicketReply } from '../../storage/index.ts'

export type PostedReply =
  | { ok: true; remoteId: string | null }
  | { ok: false; retryable: boolean; statusCode?: number; error: string; retryAfterMs?: number }

/** A claimed reply whose text and connection are known. */
export type ReadyReply = DueTicketReply & { text: string; baseUrl: string; secret: string }

export interface PosterOptions {
  timeoutMs: number
  fetch?: typeof fetch
}

interface TicketRequest {
  method: 'PUT' | 'POST'
  path: string
  authorization: string
  body: unknown
  /** The new comment's id in the answer. */
  remoteId: (answer: any) => unknown
}

const basic = (credentials: string) => `Basic ${Buffer.from(credentials).toString('base64')}`
const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }
/** Freshdesk takes HTML: the reply's text is escaped, its line breaks kept. */
const html = (text: string) => text.replace(/[&<>"']/g, (c) => ESCAPES[c]!).replaceAll('\n', '<br>')

function requestFor(r: ReadyReply): TicketRequest {
  const ticket = encodeURIComponent(r.ticketId)
  if (r.source === 'zendesk') {
    return {
      method: 'PUT', path: `/api/v2/tickets/${ticket}.json`, authorization: basic(`${r.username}/token:${r.secret}`),
      body: { ticket: { comment: { body: r.text, public: true } } },
      remoteId: (a) => a?.audit?.events?.find((e: { type?: unknown }) => e?.type === 'Comment')?.id,
    }
  }
  return {
    method: 'POST', path: `/api/v2/tickets/${ticket}/reply`, authorization: basic(`${r.secret}:X`),
    body: { body: html(r.text) }, remoteId: (a) => a?.id,
  }
}

// Timeouts, throttling and server trouble pass; any other refusal (bad credentials, unknown ticket) needs a person.
const retryable = (status: number) => status === 408 || status === 409 || status === 429 || status >= 500

function retryAfterMs(res: Response): number | undefined {
  const seconds = Number(res.headers.get('retry-after'))
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : undefined
}

/** One attempt; never throws. `messageId` goes as the Idempotency-Key, for systems that honour one. */
export async function postTicketReply(r: ReadyReply, options: PosterOptions): Promise<PostedReply> {
  const req = requestFor(r)
  const url = `${r.baseUrl.replace(/\/+$/, '')}${req.path}`
  try {
    const res = await tracedFetch(url, {
      method: req.method, body: JSON.stringify(req.body), redirect: 'manual', signal: AbortSignal.timeout(options.timeoutMs),
      headers: { authorization: req.authorization, 'content-type': 'application/json', 'idempotency-key': r.messageId },
    }, options.fetch)
    const answer: unknown = await res.json().catch(() => undefined)
    if (res.ok) {
      const id = req.remoteId(answer)
      return { ok: true, remoteId: typeof id === 'string' || typeof id === 'number' ? String(id) : null }
    }
    return { ok: false, retryable: retryable(res.status), statusCode: res.status, error: `HTTP ${res.status}`, retryAfterMs: retryAfterMs(res) }
  } catch (e) {
    // A network error names the URL at most; the secret is scrubbed anyway, in case a URL ever carried it.
    const message = e instanceof Error ? e.message : String(e)
    return { ok: false, retryable: true, error: message.replaceAll(r.secret, '[redacted]') }
  }
}
