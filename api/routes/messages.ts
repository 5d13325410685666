// Customer messages of a conversation: post one (stored before the 202, then mailed to the conversation actor
// under the same id) and page through the transcript. Posting is idempotent with an Idempotency-Key.
import { Elysia, t } from 'elysia'
import { assertPosted, enqueueTurn, type Inbox } from '../../channels/index.ts'
import { AppError } from '../../lib/errors.ts'
import { withServerSpan } from '../../lib/spans.ts'
import type { Storage } from '../../storage/index.ts'
import { responseStatus } from '../errors.ts'
import { requestGuard, type GuardDeps } from '../guard.ts'
import { answer, idempotent } from '../idempotency.ts'
import { ConversationParams, QueryInteger } from '../schemas.ts'
import { messageView, unavailable } from './conversations.ts'

export interface MessagesRouteDeps extends GuardDeps {
  storage: Pick<Storage, 'chat' | 'messages' | 'idempotency' | 'sql'>
  inbox: Inbox
  maxMessageChars: number
}

const POST_ROUTE = '/v1/conversations/:id/messages'

export function messagesRoutes(deps: MessagesRouteDeps) {
  return new Elysia({ name: 'messages' })
    .use(requestGuard(deps))
    .post(POST_ROUTE, ({ params: { id }, body, tenant, request, set }) => withServerSpan(request, POST_ROUTE, responseStatus(set), async () => {
      const keyed = await idempotent(deps.storage, tenant, request, body, async (tx) => {
        const messageId = `msg_${Bun.randomUUIDv7().replaceAll('-', '')}`
        assertPosted(await deps.storage.chat.postMessage(tenant.tenantId, { id: messageId, conversationId: id, text: body.text }, tx), id)
        return { status: 202, body: { id: messageId, conversationId: id, status: 'accepted' as const } }
      })
      const message = { tenantId: tenant.tenantId, conversationId: id, messageId: keyed.body.id, text: body.text, channel: 'chat' }
      // A keyed post keeps its record, so the client's retry re-sends under the same id; an unkeyed one is undone.
      await enqueueTurn(deps.inbox, message).catch(async (e: unknown) => {
        if (!request.headers.has('idempotency-key')) await deps.storage.chat.retract(tenant.tenantId, id, message.messageId)
        unavailable(e)
      })
      return answer(set, keyed)
    }), {
      scope: ['channel', 'customer'], params: ConversationParams,
      body: t.Object({ text: t.String({ minLength: 1, maxLength: deps.maxMessageChars }) }, { additionalProperties: false }),
      detail: { summary: 'Post a customer message (202 with its id)', tags: ['messages'] },
    })
    .get('/v1/conversations/:id/messages', async ({ params: { id }, query, tenant }) => {
      if (!(await deps.storage.chat.get(tenant.tenantId, id))) throw new AppError('not_found', `conversation ${id} not found`)
      const messages = await deps.storage.messages.list(id, query.after ?? 0, query.limit ?? 100)
      return { conversationId: id, messages: messages.map(messageView) }
    }, {
      scope: ['channel', 'console', 'customer'], params: ConversationParams,
      query: t.Object({
        after: t.Optional(QueryInteger('after', 0)), limit: t.Optional(QueryInteger('limit', 1, 500)),
      }, { additionalProperties: false }),
      detail: { summary: 'Page through the transcript by sequence number', tags: ['messages'] },
    })
}
