// What one conversation did, as the Arena grades it: the transcript, each tool call with its outcome, the
// policy's decisions, whether it went to a person, and what its model calls cost.
import type { Sql } from './client.ts'

export interface ConversationEvidence {
  transcript: Array<{ role: string; text: string }>
  toolCalls: Array<{ tool: string; args: Record<string, unknown>; ok: boolean | null; error?: string }>
  decisions: Array<{ tool: string; rule: string; outcome: string; reason: string | null; policy: string | null; policyVersion: string | null }>
  /** Every tool call the model asked for, in order (reads and refused calls included). */
  requested: Array<{ tool: string; args: Record<string, unknown> }>
  escalated: boolean
  /** Why it went to a person, as the first escalation says it (`reason: detail`). */
  handoff?: string
  /** Replies held or escalated by the grounding check. */
  groundingFailures: number
  costUsd: number
  inputTokens: number
  outputTokens: number
  modelCalls: number
}

export function createArenaEvidence(sql: Sql) {
  return {
    /** The assistant's reply to a customer message, once there is one. */
    async replyTo(turnId: string): Promise<string | undefined> {
      const [row] = await sql<{ text: string }[]>`select text from messages where turn_id = ${turnId} and role = 'assistant' order by seq limit 1`
      return row?.text
    },

    /** The pending draft of a turn, when the agent runs in assist mode. */
    async pendingDraft(turnId: string): Promise<string | undefined> {
      const [row] = await sql<{ id: string }[]>`select id from reply_drafts where turn_id = ${turnId} and status = 'pending' limit 1`
      return row?.id
    },

    async escalated(conversationId: string): Promise<boolean> {
      const [row] = await sql<{ escalated: boolean }[]>`select (status = 'escalated'
          or exists (select 1 from escalations e where e.conversation_id = ${conversationId})) as escalated
        from conversations where id = ${conversationId}`
      return row?.escalated ?? false
    },

    async of(conversationId: string): Promise<ConversationEvidence> {
      const transcript = await sql<{ role: string; text: string }[]>`
        select role, text from messages where conversation_id = ${conversationId} order by seq`
      const calls = await sql<{ tool: string; args: Record<string, unknown>; ok: boolean | null; result: { error?: { message?: string } } | null }[]>`
        select tool, args, ok, result from tool_calls where conversation_id = ${conversationId} order by created_at, idempotency_key`
      const decisions = await sql<ConversationEvidence['decisions']>`
        select tool, rule, outcome, reason, policy, policy_version as "policyVersion"
        from policy_decisions where conversation_id = ${conversationId} order by id`
      const [usage] = await sql<{ costUsd: number; inputTokens: number; outputTokens: number; modelCalls: number }[]>`
        select coalesce(sum(cost_usd), 0)::float as "costUsd", coalesce(sum(input_tokens), 0)::int as "inputTokens",
          coalesce(sum(output_tokens), 0)::int as "outputTokens", count(*)::int as "modelCalls"
        from provider_calls where conversation_id = ${conversationId}`
      const steps = await sql<{ step: string; result: { toolCalls?: Array<{ name: string; arguments: Record<string, unknown> }>; checks?: Array<{ check: string; verdict: string }> } }[]>`
        select s.step, s.result from turn_steps s join messages m on m.id = s.turn_id
        where m.conversation_id = ${conversationId} and m.role = 'customer' order by m.seq, s.created_at`
      const [handoff] = await sql<{ reason: string; detail: string | null }[]>`select reason, detail from escalations
        where conversation_id = ${conversationId} order by created_at limit 1`
      // Each refused draft leaves a grounding check that did not allow it on its turn's reply step.
      const checks = steps.filter((s) => s.step === 'reply').flatMap((s) => s.result.checks ?? [])
      return {
        transcript: [...transcript],
        requested: steps.filter((s) => s.step.startsWith('model.')).flatMap((s) => s.result.toolCalls ?? []).map((c) => ({ tool: c.name, args: c.arguments })),
        groundingFailures: checks.filter((k) => k.check === 'grounding' && k.verdict !== 'allow').length,
        ...(handoff ? { handoff: handoff.detail ? `${handoff.reason}: ${handoff.detail}` : handoff.reason } : {}),
        toolCalls: calls.map((c) => ({ tool: c.tool, args: c.args, ok: c.ok, ...(c.ok === false && c.result?.error?.message ? { error: c.result.error.message } : {}) })),
        decisions: [...decisions],
        escalated: await this.escalated(conversationId),
        ...usage!,
      }
    },
  }
}
export type ArenaEvidence = ReturnType<typeof createArenaEvidence>
