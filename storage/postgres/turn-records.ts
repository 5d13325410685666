// Everything stored about one turn, for the "why did it say that" view: the customer message, the recorded
// steps (guardrail decisions, model steps, the reply), provider calls, write tool calls and escalations.
// Read-only; the caller checks the conversation's tenant first.
import type { Sql } from './client.ts'
import type { Escalation } from './escalations.ts'
import { providerCallColumns, type ProviderCallRecord } from './provider-calls.ts'

export interface TurnStepRecord {
  step: string
  result: unknown
  createdAt: Date
}

export interface ToolCallRecord {
  idempotencyKey: string
  tool: string
  args: unknown
  status: 'started' | 'done'
  ok: boolean | null
  result: unknown
  latencyMs: number | null
  createdAt: Date
}

export interface TurnRecord {
  conversationId: string
  turnId: string
  message: { id: string; text: string; createdAt: Date }
  steps: TurnStepRecord[]
  providerCalls: ProviderCallRecord[]
  /** Only WRITE tools are recorded in tool_calls; reads appear in the reply step's transcript. */
  toolCalls: ToolCallRecord[]
  escalations: Escalation[]
}

export function createTurnRecords(sql: Sql) {
  return {
    /** The turn `turnId` (its customer message id) of `conversationId`, or undefined if it is not one. */
    async load(conversationId: string, turnId: string): Promise<TurnRecord | undefined> {
      const [message] = await sql<TurnRecord['message'][]>`select id, text, created_at as "createdAt" from messages
        where id = ${turnId} and conversation_id = ${conversationId} and role = 'customer'`
      if (!message) return undefined
      const [steps, providerCalls, toolCalls, escalations] = await Promise.all([
        sql<TurnStepRecord[]>`select step, result, created_at as "createdAt" from turn_steps where turn_id = ${turnId}
          order by created_at, step`,
        sql<ProviderCallRecord[]>`select ${providerCallColumns(sql)} from provider_calls where turn_id = ${turnId} and conversation_id = ${conversationId} order by created_at`,
        sql<ToolCallRecord[]>`select idempotency_key as "idempotencyKey", tool, args, status, ok, result, latency_ms as "latencyMs",
          created_at as "createdAt" from tool_calls where turn_id = ${turnId} and conversation_id = ${conversationId}
          order by created_at`,
        sql<Escalation[]>`select id, conversation_id as "conversationId", turn_id as "turnId", reason, detail, status,
          created_at as "createdAt" from escalations where turn_id = ${turnId} and conversation_id = ${conversationId}`,
      ])
      return { conversationId, turnId, message, steps, providerCalls, toolCalls, escalations }
    },
  }
}
export type TurnRecords = ReturnType<typeof createTurnRecords>
