// The human side of a handoff, for a console (console scope): the tenant's queue of escalations, taking one,
// answering the customer as a person, and resolving it, handing the conversation back to the AI agent or not.
// Every step is published on the conversation's stream, so the customer's widget shows who is answering.
import { Elysia, t } from 'elysia'
import { assertPosted, type Inbox } from '../../channels/index.ts'
import type { Clock } from '../../lib/clock.ts'
import { AppError } from '../../lib/errors.ts'
import type { Handoff, Storage } from '../../storage/index.ts'
import { requestGuard, type GuardDeps } from '../guard.ts'
import { humanMessageSent, resolveHandoff, takeHandoff } from '../human-actions.ts'
import { answer, idempotent } from '../idempotency.ts'
import { ConversationParams, QueryInteger } from '../schemas.ts'

export interface HandoffsRouteDeps extends GuardDeps {
  storage: Pick<Storage, 'handoffs' | 'assist' | 'events' | 'idempotency' | 'sql' | 'handoffSla' | 'handoffPackages'>
  /** Tells the conversation's actor to read its context again after people wrote to it. */
  inbox: Pick<Inbox, 'mailbox' | 'clock'>
  clock: Clock
  maxMessageChars: number
}

const HandoffParams = t.Object({ id: t.String({ pattern: '^[A-Za-z0-9_.:-]{1,200}$' }) })
const Agent = t.String({ minLength: 1, maxLength: 200 })

const handoffView = (h: Handoff) => ({
  id: h.id, conversationId: h.conversationId, channel: h.channel, customerId: h.customerId, reason: h.reason, detail: h.detail,
  category: h.category,
  status: h.status, takenBy: h.takenBy, createdAt: h.createdAt.toISOString(), takenAt: h.takenAt?.toISOString() ?? null,
  resolvedAt: h.resolvedAt?.toISOString() ?? null,
})

export function handoffsRoutes(deps: HandoffsRouteDeps) {
  return new Elysia({ name: 'handoffs' })
    .use(requestGuard(deps))
    .get('/v1/escalations', async ({ query, tenant }) => ({
      data: (await deps.storage.handoffs.list(tenant.tenantId, query.status ?? 'open', query.limit ?? 50)).map(handoffView),
    }), {
      scope: ['console'],
      query: t.Object({
        status: t.Optional(t.Union([t.Literal('open'), t.Literal('taken'), t.Literal('resolved')])),
        limit: t.Optional(QueryInteger('limit', 1, 200)),
      }, { additionalProperties: false }),
      detail: { summary: 'The handoff queue: escalations in one state, oldest first', tags: ['handoffs'] },
    })
    .get('/v1/escalations/:id', async ({ params: { id }, tenant }) => {
      const handoff = await deps.storage.handoffs.get(tenant.tenantId, id)
      if (!handoff) throw new AppError('not_found', `escalation ${id} not found`)
      return { ...handoffView(handoff), package: (await deps.storage.handoffPackages.get(tenant.tenantId, id)) ?? null }
    }, {
      scope: ['console'], params: HandoffParams,
      detail: { summary: 'An escalation with its handoff package (summary, intent, sentiment, profile, actions, reason, policy rule)', tags: ['handoffs'] },
    })
    .post('/v1/escalations/:id/take', async ({ params: { id }, body, tenant }) => handoffView(await takeHandoff(deps, tenant.tenantId, id, body.agent)), {
      scope: ['console'], params: HandoffParams, body: t.Object({ agent: Agent }, { additionalProperties: false }),
      detail: { summary: 'Take an escalation (409 when another agent has it)', tags: ['handoffs'] },
    })
    .post('/v1/escalations/:id/resolve', async ({ params: { id }, body, tenant }) =>
      handoffView(await resolveHandoff(deps, tenant.tenantId, id, body?.handBack ?? true)), {
      scope: ['console'], params: HandoffParams,
      body: t.Optional(t.Object({ handBack: t.Optional(t.Boolean()) }, { additionalProperties: false })),
      detail: {
        summary: 'Resolve an escalation', tags: ['handoffs'],
        description: 'With `handBack` (the default) the AI agent answers the conversation again, knowing what was said meanwhile.',
      },
    })
    .post('/v1/conversations/:id/agent-messages', async ({ params: { id }, body, tenant, request, set }) => {
      // With an Idempotency-Key, a retry gets the first message's id: publishing and mailing it again repeat nothing.
      const keyed = await idempotent(deps.storage, tenant, request, body, async (tx) => {
        const messageId = `msg_${Bun.randomUUIDv7().replaceAll('-', '')}`
        assertPosted(await deps.storage.handoffs.postAgentMessage(tenant.tenantId, { id: messageId, conversationId: id, text: body.text }, tx), id)
        return { status: 201, body: { id: messageId, conversationId: id, role: 'human_agent' as const, text: body.text } }
      })
      await humanMessageSent(deps, { id: keyed.body.id, conversationId: id, text: body.text, agent: body.agent })
      return answer(set, keyed)
    }, {
      scope: ['console'], params: ConversationParams,
      body: t.Object({ text: t.String({ minLength: 1, maxLength: deps.maxMessageChars }), agent: Agent }, { additionalProperties: false }),
      detail: { summary: "A human agent's message to the customer", tags: ['handoffs'] },
    })
}
