// Customer messages of a conversation: post one (durable in Postgres before the 202, then mailed to the
// conversation actor) and read the transcript.
import { Elysia, t } from 'elysia'
import type { Mailbox } from '../../actors/index.ts'
import { CONVERSATION_ID_PATTERN } from '../../queues/index.ts'
import type { Storage } from '../../storage/index.ts'
import type { Clock } from '../../lib/clock.ts'
import { AppError } from '../../lib/errors.ts'

export interface MessagesRouteDeps {
  storage: Pick<Storage, 'messages' | 'conversations'>
  mailbox: Pick<Mailbox, 'send'>
  clock: Clock
}

const params = t.Object({ id: t.String({ pattern: CONVERSATION_ID_PATTERN.source }) })

export function messagesRoutes(deps: MessagesRouteDeps) {
  return new Elysia({ name: 'messages' })
    .post('/v1/conversations/:id/messages', async ({ params: { id }, body, set }) => {
      const messageId = `msg_${Bun.randomUUIDv7()}`
      await deps.storage.messages.append({ id: messageId, conversationId: id, role: 'customer', text: body.text })
      await deps.mailbox.send({
        v: 1, id: messageId, kind: 'turn.received', conversationId: id, sentAt: deps.clock.now(),
        payload: { text: body.text, channel: 'chat' },
      })
      set.status = 202
      return { id: messageId, conversationId: id, status: 'accepted' as const }
    }, {
      params,
      body: t.Object({ text: t.String({ minLength: 1, maxLength: 16_000 }) }, { additionalProperties: false }),
    })
    .get('/v1/conversations/:id/messages', async ({ params: { id }, query }) => {
      if (!(await deps.storage.conversations.get(id))) throw new AppError('not_found', `conversation ${id} not found`)
      const messages = await deps.storage.messages.list(id, query.after ?? 0)
      return { conversationId: id, messages }
    }, { params, query: t.Object({ after: t.Optional(t.Numeric({ minimum: 0 })) }) })
}
