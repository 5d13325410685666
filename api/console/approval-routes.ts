// Approval requests of the agent policy in the console: a tool call above a threshold (a large refund) waits until a
// person approves or denies it. The requests live with the policy engine; the console reaches them through the
// `ApprovalDesk` seam, the same operations as `/v1/approvals`, acting as the signed-in person.
import { Elysia, t } from 'elysia'
import { AppError } from '../../lib/errors.ts'
import { HANDLERS } from './roles.ts'
import { consoleGuard, type ConsoleGuardDeps } from './session-guard.ts'

/** One approval request, as `GET /v1/approvals` returns it. */
export interface ApprovalRequest {
  id: string
  conversationId: string
  tool: string
  args: Record<string, unknown>
  amountUsd: number | null
  rule: string
  policyVersion: string
  status: string
  createdAt: string
}

/** Where approval requests are listed and decided (the policy engine's store); undefined answers "no such request". */
export interface ApprovalDesk {
  list(tenantId: string, filter: { status?: string; conversationId?: string }): Promise<ApprovalRequest[]>
  approve(tenantId: string, id: string, agent: string): Promise<ApprovalRequest | undefined>
  deny(tenantId: string, id: string, agent: string, reason: string): Promise<ApprovalRequest | undefined>
}

export interface ApprovalRouteDeps extends ConsoleGuardDeps {
  /** Absent until an approval store is wired in: the list is empty and nothing can be decided. */
  approvals?: ApprovalDesk
}

const IdParams = t.Object({ id: t.String({ pattern: '^[A-Za-z0-9_.:-]{1,200}$' }) })

export function approvalRoutes(deps: ApprovalRouteDeps) {
  const decided = (request: ApprovalRequest | undefined, id: string) => {
    if (!request) throw new AppError('not_found', `approval request ${id} not found`)
    return request
  }
  return new Elysia({ name: 'console-approvals' })
    .use(consoleGuard(deps))
    .get('/console/api/approvals', async ({ person, query }) => ({ data: (await deps.approvals?.list(person.tenantId, query)) ?? [] }), {
      roles: HANDLERS,
      query: t.Object({
        status: t.Optional(t.Union([t.Literal('pending'), t.Literal('approved'), t.Literal('denied')])),
        conversationId: t.Optional(t.String({ pattern: '^[A-Za-z0-9_.-]{1,128}$' })),
      }, { additionalProperties: false }),
      detail: { summary: 'Approval requests of the agent policy', tags: ['console'] },
    })
    .post('/console/api/approvals/:id/approve', async ({ person, params: { id } }) => decided(await deps.approvals?.approve(person.tenantId, id, person.email), id),
      { roles: HANDLERS, params: IdParams, detail: { summary: 'Approve a tool call waiting for a person', tags: ['console'] } })
    .post('/console/api/approvals/:id/deny', async ({ person, params: { id }, body }) =>
      decided(await deps.approvals?.deny(person.tenantId, id, person.email, body.reason), id), {
      roles: HANDLERS, params: IdParams, body: t.Object({ reason: t.String({ minLength: 1, maxLength: 1000 }) }, { additionalProperties: false }),
      detail: { summary: 'Deny a tool call waiting for a person, with the reason', tags: ['console'] },
    })
}
