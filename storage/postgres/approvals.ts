// Actions waiting for a person's approval: requested once per conversation and action, decided once, and read
// by the tool boundary (an approved action may run) and the console. Scoped by tenant, so a foreign id is absent.
import type { Sql } from './client.ts'

export interface ApprovalRequest {
  id: string
  tenantId: string
  conversationId: string
  turnId: string
  agent: string
  tool: string
  args: Record<string, unknown>
  action: string
  summary: string
  amountUsd: number | null
  policy: string
  policyVersion: string
  rule: string
  status: 'pending' | 'approved' | 'denied'
  decidedBy: string | null
  decidedAt: Date | null
  reason: string | null
  createdAt: Date
}

export type NewApproval = Omit<ApprovalRequest, 'status' | 'decidedBy' | 'decidedAt' | 'reason' | 'createdAt'>

const columns = `id, tenant_id as "tenantId", conversation_id as "conversationId", turn_id as "turnId", agent, tool, args, action,
  summary, amount_usd as "amountUsd", policy, policy_version as "policyVersion", rule, status, decided_by as "decidedBy",
  decided_at as "decidedAt", reason, created_at as "createdAt"`

export function createApprovals(sql: Sql) {
  return {
    /** Opens the request, or returns the one already pending for this conversation and action. */
    async request(a: NewApproval): Promise<{ request: ApprovalRequest; created: boolean }> {
      const [created] = await sql<ApprovalRequest[]>`insert into approval_requests (id, tenant_id, conversation_id, turn_id, agent, tool, args,
          action, summary, amount_usd, policy, policy_version, rule)
        values (${a.id}, ${a.tenantId}, ${a.conversationId}, ${a.turnId}, ${a.agent}, ${a.tool}, ${sql.json(a.args as never)}, ${a.action},
          ${a.summary}, ${a.amountUsd}, ${a.policy}, ${a.policyVersion}, ${a.rule})
        on conflict do nothing returning ${sql.unsafe(columns)}`
      if (created) return { request: created, created: true }
      const [existing] = await sql<ApprovalRequest[]>`select ${sql.unsafe(columns)} from approval_requests
        where (conversation_id = ${a.conversationId} and action = ${a.action} and status = 'pending') or id = ${a.id} limit 1`
      return { request: existing!, created: false }
    },
    /** The approved request for exactly this action in this conversation, if a person approved it. */
    async approved(conversationId: string, action: string): Promise<ApprovalRequest | undefined> {
      const [row] = await sql<ApprovalRequest[]>`select ${sql.unsafe(columns)} from approval_requests
        where conversation_id = ${conversationId} and action = ${action} and status = 'approved' order by decided_at desc limit 1`
      return row
    },
    async get(tenantId: string, id: string): Promise<ApprovalRequest | undefined> {
      const [row] = await sql<ApprovalRequest[]>`select ${sql.unsafe(columns)} from approval_requests where id = ${id} and tenant_id = ${tenantId}`
      return row
    },
    async list(tenantId: string, status: ApprovalRequest['status'] | undefined, limit: number): Promise<ApprovalRequest[]> {
      return sql<ApprovalRequest[]>`select ${sql.unsafe(columns)} from approval_requests where tenant_id = ${tenantId}
        ${status ? sql`and status = ${status}` : sql``} order by created_at, id limit ${limit}`
    },
    /** Decides a pending request once; undefined when the tenant has no such pending request. */
    async decide(tenantId: string, id: string, approved: boolean, by: string, reason?: string): Promise<ApprovalRequest | undefined> {
      const [row] = await sql<ApprovalRequest[]>`update approval_requests set status = ${approved ? 'approved' : 'denied'},
          decided_by = ${by}, decided_at = now(), reason = ${reason ?? null}
        where id = ${id} and tenant_id = ${tenantId} and status = 'pending' returning ${sql.unsafe(columns)}`
      return row
    },
  }
}
export type Approvals = ReturnType<typeof createApprovals>
