// Handoffs to humans, each with its reason. Opening one marks the conversation escalated, atomically.
import type { Sql } from './client.ts'

export interface Escalation {
  id: string
  conversationId: string
  turnId: string | null
  reason: string
  detail: string | null
  status: 'open' | 'taken' | 'resolved'
  createdAt: Date
}

export function createEscalations(sql: Sql) {
  return {
    /** Opens the escalation once per id; returns false when it was already open. */
    async open(e: { id: string; conversationId: string; turnId?: string; reason: string; detail?: string }): Promise<boolean> {
      return sql.begin(async (tx) => {
        const rows = await tx`insert into escalations (id, conversation_id, turn_id, reason, detail)
          values (${e.id}, ${e.conversationId}, ${e.turnId ?? null}, ${e.reason}, ${e.detail ?? null})
          on conflict (id) do nothing returning id`
        if (rows.length === 0) return false
        await tx`update conversations set status = 'escalated', updated_at = now() where id = ${e.conversationId}`
        return true
      })
    },
    async forConversation(conversationId: string): Promise<Escalation[]> {
      return sql<Escalation[]>`select id, conversation_id as "conversationId", turn_id as "turnId", reason, detail, status,
        created_at as "createdAt" from escalations where conversation_id = ${conversationId} order by created_at`
    },
  }
}
export type Escalations = ReturnType<typeof createEscalations>
