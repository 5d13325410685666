// Every decision the AgentPolicy made on a conversation's tool calls (allow, deny, confirm, approve), with the
// policy version, the rule and the redacted inputs: the audit trail behind "why did it (not) do that?".
import { Elysia } from 'elysia'
import type { Storage, StoredDecision } from '../../storage/index.ts'
import { requestGuard, type GuardDeps } from '../guard.ts'
import { ConversationParams } from '../schemas.ts'

export interface PolicyDecisionsRouteDeps extends GuardDeps {
  storage: Pick<Storage, 'policyState'>
}

export const decisionView = (d: StoredDecision) => ({
  turnId: d.turnId, callId: d.callId, tool: d.tool, agent: d.agent, policy: d.policy, policyVersion: d.policyVersion, rule: d.rule,
  outcome: d.outcome, reason: d.reason, amountUsd: d.amountUsd, inputs: d.inputs, at: d.createdAt.toISOString(),
})

export function policyDecisionsRoutes(deps: PolicyDecisionsRouteDeps) {
  return new Elysia({ name: 'policy-decisions' })
    .use(requestGuard(deps))
    .get('/v1/conversations/:id/decisions', async ({ params: { id }, tenant }) => ({
      data: (await deps.storage.policyState.decisions(tenant.tenantId, id)).map(decisionView),
    }), {
      scope: ['console'], params: ConversationParams,
      detail: { summary: "The policy's decisions on a conversation's tool calls, oldest first", tags: ['policies'] },
    })
}
