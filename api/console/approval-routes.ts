// Approval requests of the agent policy in the console: a tool call above a threshold (a large refund) waits until a
// person approves or denies it. The same store and the same decision as `/v1/approvals`, made as the signed-in person.
import { Elysia, t } from 'elysia'
import type { Inbox } from '../../channels/index.ts'
import type { Storage } from '../../storage/index.ts'
import { approvalView, decideApproval } from '../routes/approvals.ts'
import { HANDLERS } from './roles.ts'
import { consoleGuard, type ConsoleGuardDeps } from './session-guard.ts'

export interface ApprovalRouteDeps extends ConsoleGuardDeps {
  storage: Pick<Storage, 'approvals'>
  inbox: Pick<Inbox, 'mailbox' | 'clock'>
}

const IdParams = t.Object({ id: t.String({ pattern: '^apr_[A-Za-z0-9]{1,60}$' }) })
// Requests are few at a time; the console's per-conversation view filters the tenant's most recent ones.
const LISTED = 200

export function approvalRoutes(deps: ApprovalRouteDeps) {
  return new Elysia({ name: 'console-approvals' })
    .use(consoleGuard(deps))
    .get('/console/api/approvals', async ({ person, query }) => {
      const requests = await deps.storage.approvals.list(person.tenantId, query.status, LISTED)
      return { data: requests.filter((a) => !query.conversationId || a.conversationId === query.conversationId).map(approvalView) }
    }, {
      roles: HANDLERS,
      query: t.Object({
        status: t.Optional(t.Union([t.Literal('pending'), t.Literal('approved'), t.Literal('denied')])),
        conversationId: t.Optional(t.String({ pattern: '^[A-Za-z0-9_.-]{1,128}$' })),
      }, { additionalProperties: false }),
      detail: { summary: 'Approval requests of the agent policy', tags: ['console'] },
    })
    .post('/console/api/approvals/:id/approve', ({ person, params: { id } }) => decideApproval(deps, person.tenantId, id, true, person.email),
      { roles: HANDLERS, params: IdParams, detail: { summary: 'Approve: the action runs once and the customer is told', tags: ['console'] } })
    .post('/console/api/approvals/:id/deny', ({ person, params: { id }, body }) => decideApproval(deps, person.tenantId, id, false, person.email, body.reason), {
      roles: HANDLERS, params: IdParams, body: t.Object({ reason: t.String({ minLength: 1, maxLength: 1000 }) }, { additionalProperties: false }),
      detail: { summary: 'Deny: the action never runs and the customer is told why', tags: ['console'] },
    })
}
