// Assist mode, for a console: an agent in `assist` mode only drafts replies; a person sends each draft, edited or
// not, or discards it. Sending publishes the reply on the conversation's stream like any other.
import { Elysia, t } from 'elysia'
import type { Inbox } from '../../channels/index.ts'
import type { Clock } from '../../lib/clock.ts'
import { AppError } from '../../lib/errors.ts'
import type { ReplyDraft, Storage } from '../../storage/index.ts'
import { requestGuard, type GuardDeps } from '../guard.ts'
import { discardDraft, sendDraft } from '../human-actions.ts'
import { ConversationParams } from '../schemas.ts'

export interface AssistRouteDeps extends GuardDeps {
  storage: Pick<Storage, 'assist' | 'events' | 'handoffs' | 'handoffSla'>
  /** Tells the conversation's actor what was sent, so its next turn knows. */
  inbox: Pick<Inbox, 'mailbox' | 'clock'>
  clock: Clock
  maxMessageChars: number
}

const DraftParams = t.Object({ id: t.String({ pattern: '^[A-Za-z0-9_.:-]{1,200}$' }) })
const Person = t.String({ minLength: 1, maxLength: 200 })

const draftView = (d: ReplyDraft) => ({
  id: d.id, conversationId: d.conversationId, turnId: d.turnId, text: d.text, status: d.status, decidedBy: d.decidedBy,
  decidedAt: d.decidedAt?.toISOString() ?? null, messageId: d.messageId, createdAt: d.createdAt.toISOString(),
})

export function assistRoutes(deps: AssistRouteDeps) {
  return new Elysia({ name: 'assist' })
    .use(requestGuard(deps))
    .get('/v1/conversations/:id/drafts', async ({ params: { id }, tenant }) => {
      const drafts = await deps.storage.assist.drafts(tenant.tenantId, id)
      if (!drafts) throw new AppError('not_found', `conversation ${id} not found`)
      return { data: drafts.map(draftView) }
    }, { scope: ['console'], params: ConversationParams, detail: { summary: "The assist-mode agent's drafts, oldest first", tags: ['agents'] } })
    .post('/v1/drafts/:id/send', async ({ params: { id }, body, tenant }) => {
      const message = await sendDraft(deps, tenant.tenantId, id, body.agent, body.text)
      return { id: message.id, conversationId: message.conversationId, role: message.role, text: message.text }
    }, {
      scope: ['console'], params: DraftParams,
      body: t.Object({ agent: Person, text: t.Optional(t.String({ minLength: 1, maxLength: deps.maxMessageChars })) }, { additionalProperties: false }),
      detail: { summary: 'Send a draft to the customer, as written or edited', tags: ['agents'] },
    })
    .post('/v1/drafts/:id/discard', async ({ params: { id }, body, tenant }) => {
      await discardDraft(deps, tenant.tenantId, id, body.agent)
      return { id, status: 'discarded' }
    }, {
      scope: ['console'], params: DraftParams, body: t.Object({ agent: Person }, { additionalProperties: false }),
      detail: { summary: 'Discard a draft', tags: ['agents'] },
    })
}
