// The facts of each turn that routing, policy and the KPIs read: which agent version ran it, in which mode, the
// classified intent and the customer's segment. Written once per turn; a redelivered turn keeps the first.
import type { Sql } from './client.ts'

export interface TurnFacts {
  turnId: string
  conversationId: string
  agent: string
  agentScope: string | null
  agentVersion: number | null
  mode: string | null
  intent: string | null
  intentConfidence: number | null
  segment: string | null
}

export function createTurnFacts(sql: Sql) {
  return {
    async record(f: TurnFacts): Promise<void> {
      await sql`insert into turn_facts (turn_id, conversation_id, agent, agent_scope, agent_version, mode, intent, intent_confidence, segment)
        values (${f.turnId}, ${f.conversationId}, ${f.agent}, ${f.agentScope}, ${f.agentVersion}, ${f.mode}, ${f.intent},
          ${f.intentConfidence}, ${f.segment})
        on conflict (turn_id) do nothing`
    },
    async of(turnId: string): Promise<TurnFacts | undefined> {
      const [row] = await sql<TurnFacts[]>`select turn_id as "turnId", conversation_id as "conversationId", agent,
        agent_scope as "agentScope", agent_version as "agentVersion", mode, intent, intent_confidence as "intentConfidence", segment
        from turn_facts where turn_id = ${turnId}`
      return row
    },
  }
}
export type TurnFactsRepository = ReturnType<typeof createTurnFacts>
