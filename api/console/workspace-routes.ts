// The team's shared setup and QA in the console: handoff queues (supervisors set skills, priority, routing and SLA
// targets), canned responses, the people a handoff can go to, and QA reviews of conversations against the rubric.
import { Elysia, t } from 'elysia'
import { AppError } from '../../lib/errors.ts'
import { REASON_CATEGORIES } from '../../lib/handoff-reasons.ts'
import type { Storage } from '../../storage/index.ts'
import { ConversationParams } from '../schemas.ts'
import { QA_RUBRIC, scoreReview } from './qa-rubric.ts'
import { ANYONE, HANDLERS, MANAGERS, REVIEWERS } from './roles.ts'
import { consoleGuard, type ConsoleGuardDeps } from './session-guard.ts'

export interface WorkspaceRouteDeps extends ConsoleGuardDeps {
  storage: Pick<Storage, 'handoffQueues' | 'consoleWorkspace' | 'consoleInbox' | 'consolePeople'>
}

const Name = t.String({ pattern: '^[a-z0-9_-]{1,40}$' })
const QueueBody = t.Object({
  name: t.String({ minLength: 1, maxLength: 80 }),
  priority: t.Integer({ minimum: 0, maximum: 100 }),
  skills: t.Array(Name, { maxItems: 20 }),
  intents: t.Array(t.String({ pattern: '^[a-z0-9_]{1,60}$' }), { maxItems: 50 }),
  categories: t.Array(t.Union(REASON_CATEGORIES.map((c) => t.Literal(c))), { maxItems: REASON_CATEGORIES.length }),
  assignment: t.Union([t.Literal('take'), t.Literal('round_robin')]),
  firstResponseSlaS: t.Integer({ minimum: 10, maximum: 604_800 }),
  resolutionSlaS: t.Integer({ minimum: 10, maximum: 2_592_000 }),
  holdingIntervalS: t.Integer({ minimum: 30, maximum: 86_400 }),
}, { additionalProperties: false })
const QueueParams = t.Object({ id: t.String({ pattern: '^que_[A-Za-z0-9]{1,64}$' }) })
const CannedParams = t.Object({ id: t.String({ pattern: '^can_[A-Za-z0-9]{1,64}$' }) })

const cannedView = (c: { id: string; title: string; text: string; createdBy: string }) => ({ id: c.id, title: c.title, text: c.text, createdBy: c.createdBy })

export function workspaceRoutes(deps: WorkspaceRouteDeps) {
  const { handoffQueues: queues, consoleWorkspace: workspace } = deps.storage
  return new Elysia({ name: 'console-workspace' })
    .use(consoleGuard(deps))
    .get('/console/api/queues', async ({ person }) => ({ data: await queues.ensure(person.tenantId) }),
      { roles: ANYONE, detail: { summary: "The tenant's handoff queues", tags: ['console'] } })
    .post('/console/api/queues', async ({ person, body, set }) => {
      const queue = await queues.create(person.tenantId, body)
      if (!queue) throw new AppError('conflict', `a queue named ${body.name} exists`)
      set.status = 201
      return queue
    }, { roles: MANAGERS, body: QueueBody, detail: { summary: 'Create a handoff queue', tags: ['console'] } })
    .put('/console/api/queues/:id', async ({ person, params: { id }, body }) => {
      const queue = await queues.update(person.tenantId, id, body).catch((e: { code?: string }) => {
        if (e.code === '23505') throw new AppError('conflict', `a queue named ${body.name} exists`)
        throw e
      })
      if (!queue) throw new AppError('not_found', `queue ${id} not found`)
      return queue
    }, { roles: MANAGERS, params: QueueParams, body: QueueBody, detail: { summary: 'Change a handoff queue', tags: ['console'] } })
    .get('/console/api/agents', async ({ person }) => ({
      data: (await deps.storage.consolePeople.list(person.tenantId)).filter((u) => !u.disabledAt && HANDLERS.includes(u.role))
        .map((u) => ({ email: u.email, name: u.name, available: u.available, skills: u.skills })),
    }), { roles: HANDLERS, detail: { summary: 'People a handoff can be transferred to', tags: ['console'] } })
    .get('/console/api/canned-responses', async ({ person }) => ({ data: (await workspace.cannedResponses(person.tenantId)).map(cannedView) }),
      { roles: HANDLERS, detail: { summary: "The tenant's canned responses", tags: ['console'] } })
    .post('/console/api/canned-responses', async ({ person, body, set }) => {
      const canned = await workspace.addCannedResponse(person.tenantId, { ...body, createdBy: person.email })
      if (!canned) throw new AppError('conflict', `a canned response titled ${body.title} exists`)
      set.status = 201
      return cannedView(canned)
    }, {
      roles: MANAGERS,
      body: t.Object({ title: t.String({ minLength: 1, maxLength: 100 }), text: t.String({ minLength: 1, maxLength: 4000 }) }, { additionalProperties: false }),
      detail: { summary: 'Add a canned response', tags: ['console'] },
    })
    .delete('/console/api/canned-responses/:id', async ({ person, params: { id } }) => {
      if (!(await workspace.removeCannedResponse(person.tenantId, id))) throw new AppError('not_found', `canned response ${id} not found`)
      return { id, deleted: true }
    }, { roles: MANAGERS, params: CannedParams, detail: { summary: 'Remove a canned response', tags: ['console'] } })
    .get('/console/api/qa/queue', async ({ person }) => ({
      rubric: QA_RUBRIC,
      data: (await deps.storage.consoleInbox.qaQueue(person.tenantId, 100)).map((c) => ({ ...c, updatedAt: c.updatedAt.toISOString() })),
    }), { roles: REVIEWERS, detail: { summary: 'Conversations to review, fewest reviews first, with the rubric', tags: ['console'] } })
    .post('/console/api/qa/reviews/:id', async ({ person, params: { id }, body, set }) => {
      const review = await workspace.review(person.tenantId, {
        conversationId: id, reviewerId: person.email, scores: body.scores, score: scoreReview(body.scores), rubricVersion: QA_RUBRIC.version,
        comment: body.comment ?? null,
      })
      if (!review) throw new AppError('not_found', `conversation ${id} not found`)
      set.status = 201
      return { id: review.id, conversationId: id, score: review.score, scores: review.scores, rubricVersion: review.rubricVersion }
    }, {
      roles: REVIEWERS, params: ConversationParams,
      body: t.Object({
        scores: t.Object(Object.fromEntries(QA_RUBRIC.criteria.map((c) => [c.id, t.Integer({ minimum: 1, maximum: 5 })])), { additionalProperties: false }),
        comment: t.Optional(t.String({ maxLength: 4000 })),
      }, { additionalProperties: false }),
      detail: { summary: "Grade a conversation against the rubric (one review per reviewer, replaced when graded again)", tags: ['console'] },
    })
}
