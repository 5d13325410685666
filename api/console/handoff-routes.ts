// The work of a person in the console: the inbox (queues with counts and SLA clocks, handoffs most urgent first,
// drafts waiting), taking and resolving handoffs, transferring them, rating the package received, answering the
// customer, and sending or discarding assist drafts. Answering needs the handoff to be yours (or a supervisor).
import { Elysia, t } from 'elysia'
import { assertPosted } from '../../channels/index.ts'
import { AppError } from '../../lib/errors.ts'
import { REASON_CATEGORIES } from '../../lib/handoff-reasons.ts'
import type { ConsoleUser, Handoff, InboxItem, Storage } from '../../storage/index.ts'
import { discardDraft, humanMessageSent, resolveHandoff, sendDraft, takeHandoff, type HumanActionDeps } from '../human-actions.ts'
import { ConversationParams } from '../schemas.ts'
import { HANDLERS, MANAGERS } from './roles.ts'
import { consoleGuard, type ConsoleGuardDeps } from './session-guard.ts'

export interface HandoffRouteDeps extends ConsoleGuardDeps, HumanActionDeps {
  storage: HumanActionDeps['storage'] & Pick<Storage, 'consoleInbox' | 'consoleWorkspace' | 'handoffQueues' | 'consolePeople'>
  maxMessageChars: number
}

const IdParams = t.Object({ id: t.String({ pattern: '^[A-Za-z0-9_.:-]{1,200}$' }) })
const Category = t.Union(REASON_CATEGORIES.map((c) => t.Literal(c)))
const PACKAGE_PARTS = ['summary', 'intent', 'sentiment', 'customer', 'actions', 'failures', 'reason', 'policyRule', 'history', 'other'] as const

const iso = (d: Date | null) => d?.toISOString() ?? null
const itemView = (i: InboxItem) => ({
  ...i, createdAt: i.createdAt.toISOString(), firstResponseDueAt: iso(i.firstResponseDueAt), resolutionDueAt: iso(i.resolutionDueAt),
  firstResponseAt: iso(i.firstResponseAt),
})
const takenView = (h: Handoff) => ({ id: h.id, conversationId: h.conversationId, status: h.status, takenBy: h.takenBy })

const InboxQuery = t.Object({
  queue: t.Optional(t.String({ pattern: '^que_[A-Za-z0-9]{1,64}$' })),
  status: t.Optional(t.Union([t.Literal('open'), t.Literal('taken')])),
  category: t.Optional(Category),
  assignee: t.Optional(t.String({ minLength: 1, maxLength: 320 })),
  limit: t.Optional(t.Numeric({ minimum: 1, maximum: 1000 })),
}, { additionalProperties: false })

/** People answer a conversation whose unresolved handoff is theirs; supervisors may step into any. */
async function assertHolds(deps: HandoffRouteDeps, person: ConsoleUser, conversationId: string): Promise<void> {
  const unresolved = (await deps.storage.consoleInbox.handoffsOf(person.tenantId, conversationId)).filter((h) => h.status !== 'resolved')
  if (unresolved.length === 0) throw new AppError('conflict', 'this conversation has no open handoff: the AI agent is answering it')
  if (MANAGERS.includes(person.role) || unresolved.some((h) => h.takenBy === person.email)) return
  throw new AppError('conflict', 'take the handoff before answering')
}

async function inbox(deps: HandoffRouteDeps, tenantId: string, q: typeof InboxQuery.static) {
  const [queues, { items, total }, drafts] = await Promise.all([
    deps.storage.consoleInbox.queueCounts(tenantId),
    deps.storage.consoleInbox.items(tenantId, { queueId: q.queue, status: q.status, category: q.category, assignee: q.assignee, limit: q.limit ?? 100 }),
    deps.storage.consoleInbox.draftsWaiting(tenantId, 100),
  ])
  return { queues, items: items.map(itemView), total, drafts: drafts.map((d) => ({ ...d, createdAt: d.createdAt.toISOString() })) }
}

export function handoffRoutes(deps: HandoffRouteDeps) {
  const text = t.String({ minLength: 1, maxLength: deps.maxMessageChars })
  return new Elysia({ name: 'console-handoffs' })
    .use(consoleGuard(deps))
    .get('/console/api/inbox', async ({ person, query }) => {
      await deps.storage.handoffQueues.ensure(person.tenantId)
      return inbox(deps, person.tenantId, query)
    }, { roles: HANDLERS, query: InboxQuery, detail: { summary: 'Queues with counts, handoffs most urgent first, drafts waiting', tags: ['console'] } })
    .post('/console/api/escalations/:id/take', async ({ person, params: { id } }) => takenView(await takeHandoff(deps, person.tenantId, id, person.email)),
      { roles: HANDLERS, params: IdParams, detail: { summary: 'Take a handoff', tags: ['console'] } })
    .post('/console/api/escalations/:id/resolve', async ({ person, params: { id }, body }) =>
      takenView(await resolveHandoff(deps, person.tenantId, id, body.handBack)), {
      roles: HANDLERS, params: IdParams, body: t.Object({ handBack: t.Boolean() }, { additionalProperties: false }),
      detail: { summary: 'Resolve a handoff, handing the conversation back to the AI agent or not', tags: ['console'] },
    })
    .post('/console/api/escalations/:id/transfer', async ({ person, params: { id }, body }) => {
      if (!body.queueId === !body.agent) throw new AppError('request.invalid', 'transfer to a queue or to a person, one of the two')
      if (body.agent && !(await deps.storage.consolePeople.list(person.tenantId)).some((u) => u.email === body.agent && !u.disabledAt)) {
        throw new AppError('not_found', `no console account ${body.agent}`)
      }
      if (body.queueId && !(await deps.storage.handoffQueues.get(person.tenantId, body.queueId))) throw new AppError('not_found', `queue ${body.queueId} not found`)
      if (!(await deps.storage.consoleInbox.transfer(person.tenantId, id, body, person.email, body.note))) throw new AppError('not_found', `no unresolved handoff ${id}`)
      return { id, transferred: true }
    }, {
      roles: HANDLERS, params: IdParams,
      body: t.Object({
        queueId: t.Optional(t.String({ pattern: '^que_[A-Za-z0-9]{1,64}$' })), agent: t.Optional(t.String({ minLength: 1, maxLength: 320 })),
        note: t.Optional(t.String({ maxLength: 1000 })),
      }, { additionalProperties: false }),
      detail: { summary: 'Transfer a handoff to another queue or person', tags: ['console'] },
    })
    .post('/console/api/escalations/:id/rating', async ({ person, params: { id }, body }) => {
      const rating = await deps.storage.consoleWorkspace.rateHandoff(person.tenantId, {
        escalationId: id, userId: person.email, hadWhatNeeded: body.hadWhatNeeded, missing: body.missing ?? [], comment: body.comment ?? null,
      })
      if (!rating) throw new AppError('not_found', `escalation ${id} not found`)
      return { escalationId: id, hadWhatNeeded: rating.hadWhatNeeded, missing: rating.missing, comment: rating.comment }
    }, {
      roles: HANDLERS, params: IdParams,
      body: t.Object({
        hadWhatNeeded: t.Boolean(), missing: t.Optional(t.Array(t.Union(PACKAGE_PARTS.map((p) => t.Literal(p))), { maxItems: PACKAGE_PARTS.length })),
        comment: t.Optional(t.String({ maxLength: 2000 })),
      }, { additionalProperties: false }),
      detail: { summary: 'Rate the handoff package you received', tags: ['console'] },
    })
    .post('/console/api/conversations/:id/messages', async ({ person, params: { id }, body, set }) => {
      await assertHolds(deps, person, id)
      const messageId = `msg_${Bun.randomUUIDv7().replaceAll('-', '')}`
      assertPosted(await deps.storage.handoffs.postAgentMessage(person.tenantId, { id: messageId, conversationId: id, text: body.text }), id)
      await humanMessageSent(deps, { id: messageId, conversationId: id, text: body.text, agent: person.email })
      set.status = 201
      return { id: messageId, conversationId: id, role: 'human_agent', text: body.text }
    }, { roles: HANDLERS, params: ConversationParams, body: t.Object({ text }, { additionalProperties: false }), detail: { summary: 'Answer the customer', tags: ['console'] } })
    .post('/console/api/drafts/:id/send', async ({ person, params: { id }, body }) => {
      const m = await sendDraft(deps, person.tenantId, id, person.email, body.text)
      return { id: m.id, conversationId: m.conversationId, role: m.role, text: m.text }
    }, {
      roles: HANDLERS, params: IdParams, body: t.Object({ text: t.Optional(text) }, { additionalProperties: false }),
      detail: { summary: 'Send an assist draft, as written or edited', tags: ['console'] },
    })
    .post('/console/api/drafts/:id/discard', async ({ person, params: { id } }) => {
      await discardDraft(deps, person.tenantId, id, person.email)
      return { id, status: 'discarded' }
    }, { roles: HANDLERS, params: IdParams, detail: { summary: 'Discard an assist draft', tags: ['console'] } })
}
