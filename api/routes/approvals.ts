// Actions an agent's policy held for a person's approval: the queue, and approve or deny. The decision goes to
// the conversation's actor, which runs an approved action once and tells the customer the outcome.
import { Elysia, t } from 'elysia'
import type { Inbox } from '../../channels/index.ts'
import { AppError } from '../../lib/errors.ts'
import type { ApprovalRequest, Storage } from '../../storage/index.ts'
import { requestGuard, type GuardDeps } from '../guard.ts'

export interface ApprovalsRouteDeps extends GuardDeps {
  storage: Pick<Storage, 'approvals'>
  inbox: Pick<Inbox, 'mailbox' | 'clock'>
}

const Params = t.Object({ id: t.String({ pattern: '^apr_[A-Za-z0-9]{1,60}$' }) })
const Person = t.String({ minLength: 1, maxLength: 200 })

export const approvalView = (a: ApprovalRequest) => ({
  id: a.id, conversationId: a.conversationId, turnId: a.turnId, agent: a.agent, tool: a.tool, args: a.args, summary: a.summary,
  amountUsd: a.amountUsd, policy: a.policy, policyVersion: a.policyVersion, rule: a.rule, status: a.status, decidedBy: a.decidedBy,
  decidedAt: a.decidedAt?.toISOString() ?? null, reason: a.reason, createdAt: a.createdAt.toISOString(),
})

/**
 * Decides a pending request once and mails the decision to the conversation's actor; the same decision again is a
 * retry (its answer was lost): the actor is told again, and dedupes. Shared with the console.
 */
export async function decideApproval(deps: Pick<ApprovalsRouteDeps, 'storage' | 'inbox'>, tenantId: string, id: string, approved: boolean, by: string, reason?: string) {
  let decided = await deps.storage.approvals.decide(tenantId, id, approved, by, reason)
  if (!decided) {
    const existing = await deps.storage.approvals.get(tenantId, id)
    if (!existing) throw new AppError('not_found', `approval ${id} not found`)
    if (existing.status !== (approved ? 'approved' : 'denied')) throw new AppError('conflict', `approval ${id} was already ${existing.status}`)
    decided = existing
  }
  await deps.inbox.mailbox.send({
    v: 1, id: `${id}.decided`, kind: 'approval.decided', conversationId: decided.conversationId, sentAt: deps.inbox.clock.now(),
    payload: {
      approvalId: id, approved, tool: decided.tool, args: decided.args, summary: decided.summary, ...(decided.reason ? { reason: decided.reason } : {}),
    },
  })
  return approvalView(decided)
}

export function approvalsRoutes(deps: ApprovalsRouteDeps) {
  const decide = (tenantId: string, id: string, approved: boolean, by: string, reason?: string) => decideApproval(deps, tenantId, id, approved, by, reason)
  return new Elysia({ name: 'approvals' })
    .use(requestGuard(deps))
    .get('/v1/approvals', async ({ query, tenant }) => ({
      data: (await deps.storage.approvals.list(tenant.tenantId, query.status, query.limit ?? 50)).map(approvalView),
    }), {
      scope: ['console'],
      query: t.Object({
        status: t.Optional(t.Union([t.Literal('pending'), t.Literal('approved'), t.Literal('denied')])),
        limit: t.Optional(t.Integer({ minimum: 1, maximum: 200 })),
      }, { additionalProperties: false }),
      detail: { summary: 'Actions waiting for (or given) a person\'s approval, oldest first', tags: ['approvals'] },
    })
    .post('/v1/approvals/:id/approve', ({ params: { id }, body, tenant }) => decide(tenant.tenantId, id, true, body.agent), {
      scope: ['console'], params: Params, body: t.Object({ agent: Person }, { additionalProperties: false }),
      detail: { summary: 'Approve: the action runs once and the customer is told', tags: ['approvals'] },
    })
    .post('/v1/approvals/:id/deny', ({ params: { id }, body, tenant }) => decide(tenant.tenantId, id, false, body.agent, body.reason), {
      scope: ['console'], params: Params,
      body: t.Object({ agent: Person, reason: t.Optional(t.String({ minLength: 1, maxLength: 1000 })) }, { additionalProperties: false }),
      detail: { summary: 'Deny: the action never runs and the customer is told why', tags: ['approvals'] },
    })
}
