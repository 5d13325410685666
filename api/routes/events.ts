// The live events of a conversation (replies, deltas, typing, escalation, closing) over Server-Sent Events
// and WebSocket. Both resume after a cursor (Last-Event-ID, or `after`) and read through the shared event
// hub, so an open stream costs no Redis connection of its own.
import { Elysia, t } from 'elysia'
import { AppError } from '../../lib/errors.ts'
import type { EventHub, EventSubscription, Storage, StreamEntry } from '../../storage/index.ts'
import { requestGuard, type GuardDeps } from '../guard.ts'
import { ConversationParams, StreamCursor } from '../schemas.ts'

export interface EventsRouteDeps extends GuardDeps {
  storage: Pick<Storage, 'chat'>
  hub: EventHub
  sseHeartbeatMs: number
}

const encoder = new TextEncoder()
const CURSOR = /^[0-9]{1,20}(-[0-9]{1,20})?$/
const StreamQuery = t.Object({ after: t.Optional(StreamCursor), access_token: t.Optional(t.String()) }, { additionalProperties: false })

const sseFrame = ({ cursor, event }: StreamEntry) => `id: ${cursor}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`

/** Where to resume: the Last-Event-ID header wins over `?after=`; a new listener gets every kept event. */
export function resumeCursor(request: Request, after: string | undefined): string {
  const last = request.headers.get('last-event-id')
  if (last !== null && !CURSOR.test(last)) throw new AppError('request.invalid', 'Last-Event-ID is not a cursor this API sent')
  return last ?? after ?? '0'
}

/** The conversation's events from `from` on, as an SSE response (shared with the console's own stream route). */
export function sseResponse(deps: Pick<EventsRouteDeps, 'hub' | 'sseHeartbeatMs'>, conversationId: string, from: string): Response {
  let subscription: EventSubscription | undefined
  let heartbeat: ReturnType<typeof setInterval> | undefined
  const stop = () => (subscription?.close(), clearInterval(heartbeat))
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      const write = (text: string) => {
        try {
          controller.enqueue(encoder.encode(text))
        } catch {
          stop()
        }
      }
      write(`retry: 2000\n: connected\n\n`)
      subscription = deps.hub.subscribe(conversationId, from, (entries) => write(entries.map(sseFrame).join('')))
      heartbeat = setInterval(() => write(': keep-alive\n\n'), deps.sseHeartbeatMs)
    },
    cancel: stop,
  })
  return new Response(body, {
    headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-cache, no-transform', 'x-accel-buffering': 'no' },
  })
}

export function eventsRoutes(deps: EventsRouteDeps) {
  const owned = async (tenantId: string, id: string) => {
    if (!(await deps.storage.chat.get(tenantId, id))) throw new AppError('not_found', `conversation ${id} not found`)
  }
  const subscriptions = new WeakMap<object, EventSubscription>()
  return new Elysia({ name: 'events' })
    .use(requestGuard(deps))
    .get('/v1/conversations/:id/events', async ({ params: { id }, query, request, tenant }) => {
      const from = resumeCursor(request, query.after)
      await owned(tenant.tenantId, id)
      return sseResponse(deps, id, from)
    }, {
      scope: ['channel', 'console', 'customer'], params: ConversationParams, query: StreamQuery,
      detail: { summary: 'Server-Sent Events of the conversation, resumable with Last-Event-ID', tags: ['events'] },
    })
    .ws('/v1/conversations/:id/stream', {
      scope: ['channel', 'console', 'customer'], params: ConversationParams, query: StreamQuery,
      async beforeHandle({ params, tenant }) {
        await owned(tenant.tenantId, params.id)
      },
      open(ws) {
        const from = ws.data.query.after ?? '0'
        subscriptions.set(ws.raw, deps.hub.subscribe(ws.data.params.id, from, (entries) => {
          for (const { cursor, event } of entries) ws.send(JSON.stringify({ cursor, event }))
        }))
      },
      close(ws) {
        subscriptions.get(ws.raw)?.close()
        subscriptions.delete(ws.raw)
      },
      message() {
        // The stream is server-to-client; customers post messages over HTTP, where they get idempotency.
      },
    })
}
