// One conversation as the console shows it: transcript, handoffs with their packages, drafts, internal notes, CSAT,
// knowledge suggestions for the latest customer message, each turn's "why" view, and the live stream of its events.
import { Elysia, t } from 'elysia'
import { AppError } from '../../lib/errors.ts'
import type { ConversationHandoff, EventHub, HandoffRating, Storage } from '../../storage/index.ts'
import { resumeCursor, sseResponse } from '../routes/events.ts'
import { messageView } from '../routes/conversations.ts'
import { turnWhyView } from '../routes/turn-why.ts'
import { ConversationParams, StreamCursor, conversationView } from '../schemas.ts'
import { suggestKnowledge } from './knowledge.ts'
import { ANYONE } from './roles.ts'
import { consoleGuard, type ConsoleGuardDeps } from './session-guard.ts'

export interface ConversationRouteDeps extends ConsoleGuardDeps {
  storage: Pick<Storage, 'chat' | 'messages' | 'assist' | 'consoleInbox' | 'consoleWorkspace' | 'turnRecords' | 'knowledge'>
  hub: EventHub
  sseHeartbeatMs: number
}

const iso = (d: Date | null) => d?.toISOString() ?? null

export const handoffView = (h: ConversationHandoff, rating?: HandoffRating) => ({
  id: h.id, status: h.status, takenBy: h.takenBy, reason: h.reason, detail: h.detail, category: h.category,
  queue: h.queueId ? { id: h.queueId, name: h.queueName } : null, package: h.package, createdAt: h.createdAt.toISOString(),
  sla: {
    firstResponseDueAt: iso(h.firstResponseDueAt), resolutionDueAt: iso(h.resolutionDueAt), firstResponseAt: iso(h.firstResponseAt),
    firstResponseBreachedAt: iso(h.firstResponseBreachedAt), resolutionBreachedAt: iso(h.resolutionBreachedAt),
  },
  resolvedAt: iso(h.resolvedAt),
  rating: rating ? { hadWhatNeeded: rating.hadWhatNeeded, missing: rating.missing, comment: rating.comment, by: rating.userId } : null,
})

const noteView = (n: { id: string; authorName: string; text: string; createdAt: Date }) =>
  ({ id: n.id, author: n.authorName, text: n.text, createdAt: n.createdAt.toISOString() })

async function conversationDetail(deps: ConversationRouteDeps, tenantId: string, id: string) {
  const conversation = await deps.storage.chat.get(tenantId, id)
  if (!conversation) throw new AppError('not_found', `conversation ${id} not found`)
  const [messages, handoffs, drafts, notes, reviews] = await Promise.all([
    deps.storage.messages.list(id),
    deps.storage.consoleInbox.handoffsOf(tenantId, id),
    deps.storage.assist.drafts(tenantId, id),
    deps.storage.consoleWorkspace.notes(tenantId, id),
    deps.storage.consoleWorkspace.reviews(tenantId, id),
  ])
  const ratings = new Map((await deps.storage.consoleWorkspace.ratings(tenantId, handoffs.map((h) => h.id))).map((r) => [r.escalationId, r]))
  const lastCustomer = messages.filter((m) => m.role === 'customer').at(-1)
  return {
    conversation: conversationView(conversation),
    messages: messages.map(messageView),
    handoffs: handoffs.map((h) => handoffView(h, ratings.get(h.id))),
    drafts: (drafts ?? []).map((d) => ({ id: d.id, turnId: d.turnId, text: d.text, status: d.status, createdAt: d.createdAt.toISOString() })),
    notes: notes.map(noteView),
    reviews: reviews.map((r) => ({ id: r.id, reviewer: r.reviewerId, score: r.score, scores: r.scores, comment: r.comment })),
    suggestions: lastCustomer ? await suggestKnowledge(deps.storage.knowledge, tenantId, lastCustomer.text) : [],
  }
}

export function conversationRoutes(deps: ConversationRouteDeps) {
  const owned = async (tenantId: string, id: string) => {
    if (!(await deps.storage.chat.get(tenantId, id))) throw new AppError('not_found', `conversation ${id} not found`)
  }
  return new Elysia({ name: 'console-conversations' })
    .use(consoleGuard(deps))
    .get('/console/api/conversations/:id', ({ person, params: { id } }) => conversationDetail(deps, person.tenantId, id),
      { roles: ANYONE, params: ConversationParams, detail: { summary: 'A conversation with everything the console shows', tags: ['console'] } })
    .get('/console/api/conversations/:id/events', async ({ person, params: { id }, query, request }) => {
      const from = resumeCursor(request, query.after)
      await owned(person.tenantId, id)
      return sseResponse(deps, id, from)
    }, {
      roles: ANYONE, params: ConversationParams, query: t.Object({ after: t.Optional(StreamCursor) }, { additionalProperties: false }),
      detail: { summary: "The conversation's live events (Server-Sent Events)", tags: ['console'] },
    })
    .get('/console/api/conversations/:id/turns/:turnId/why', async ({ person, params: { id, turnId } }) => {
      await owned(person.tenantId, id)
      const record = await deps.storage.turnRecords.load(id, turnId)
      if (!record) throw new AppError('not_found', `turn ${turnId} not found in conversation ${id}`)
      return turnWhyView(record)
    }, {
      roles: ANYONE, params: t.Object({ id: ConversationParams.properties.id, turnId: t.String({ minLength: 1, maxLength: 200 }) }),
      detail: { summary: 'Why a turn was answered as it was', tags: ['console'] },
    })
    .post('/console/api/conversations/:id/notes', async ({ person, params: { id }, body, set }) => {
      const note = await deps.storage.consoleWorkspace.addNote(person.tenantId, { conversationId: id, authorId: person.id, authorName: person.name, text: body.text })
      if (!note) throw new AppError('not_found', `conversation ${id} not found`)
      set.status = 201
      return noteView(note)
    }, {
      roles: ANYONE, params: ConversationParams, body: t.Object({ text: t.String({ minLength: 1, maxLength: 4000 }) }, { additionalProperties: false }),
      detail: { summary: 'An internal note (never sent to the customer)', tags: ['console'] },
    })
}
