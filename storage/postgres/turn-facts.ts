// The facts of each turn that routing, policy and the KPIs read: which agent version ran it, in which mode, the
// classified intent and the customer's segment. Written once per turn; a redelivered turn keeps the first.
import type { Sql } from './client.ts'

export interface TurnFacts {
  turnId: string
  conversationId: string
  agent: string
  agentScope: string | null
  agentVersion: number | null
  policy?: string | null
  policyVersion?: number | null
  mode: string | null
  intent: string | null
  intentConfidence: number | null
  segment: string | null
  withdrawn?: Array<{ name: string; reason: string }> | null
}

export function createTurnFacts(sql: Sql) {
  return {
    /** Notes the tools withdrawn while the turn ran; a later model step may add more. */
    async noteWithdrawn(turnId: string, withdrawn: Array<{ name: string; reason: string }>): Promise<void> {
      if (withdrawn.length === 0) return
      await sql`update turn_facts set withdrawn = (
          select jsonb_agg(distinct w) from jsonb_array_elements(coalesce(withdrawn, '[]') || ${sql.json(withdrawn as never)}) w)
        where turn_id = ${turnId}`
    },
    async of(turnId: string): Promise<TurnFacts | undefined> {
      const [row] = await sql<TurnFacts[]>`select turn_id as "turnId", conversation_id as "conversationId", agent,
        agent_scope as "agentScope", agent_version as "agentVersion", policy, policy_version as "policyVersion", mode, intent, intent_confidence as "intentConfidence", segment, withdrawn
        from turn_facts where turn_id = ${turnId}`
      return row
    },
  }
}
export type TurnFactsRepository = ReturnType<typeof createTurnFacts>
