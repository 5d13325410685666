// The state the tool boundary decides from under an AgentPolicy: who the conversation is authenticated as, what
// the customer said to what they were shown, which confirmations were spent, and the record of every decision.
import type { Sql } from './client.ts'
import type { MaturityLevel } from './promotion-decisions.ts'

export interface CallState {
  subject: string | undefined
  allowed: { rule: string } | undefined
  /** The level the call's turn began with (turn facts); undefined when the turn recorded none. */
  turnMode: MaturityLevel | undefined
}

export interface PolicyDecisionRecord {
  tenantId: string
  conversationId: string
  turnId: string | null
  callId: string
  tool: string
  agent: string
  policy: string | null
  policyVersion: string | null
  rule: string
  outcome: 'allow' | 'deny' | 'confirm' | 'approve'
  reason: string | null
  amountUsd: number | null
  inputs: Record<string, unknown>
}

export interface StoredDecision extends PolicyDecisionRecord {
  id: number
  createdAt: Date
}

const decisionColumns = `id, tenant_id as "tenantId", conversation_id as "conversationId", turn_id as "turnId", call_id as "callId",
  tool, agent, policy, policy_version as "policyVersion", rule, outcome, reason, amount_usd as "amountUsd", inputs, created_at as "createdAt"`

export function createPolicyState(sql: Sql) {
  return {
    async subject(conversationId: string): Promise<string | undefined> {
      const [row] = await sql<{ subject: string }[]>`select subject from conversation_subjects where conversation_id = ${conversationId}`
      return row?.subject
    },
    /**
     * Who the conversation is authenticated as, whether this very call was already allowed (a redelivery), and the
     * maturity level its turn began with (the level of the conversation's type, or the agent's own mode).
     */
    async callFacts(conversationId: string, callId: string, turnId: string): Promise<CallState> {
      const [row] = await sql<{ subject: string | null; rule: string | null; mode: MaturityLevel | null }[]>`select
          (select subject from conversation_subjects where conversation_id = ${conversationId}) as subject,
          (select rule from policy_decisions where call_id = ${callId} and outcome = 'allow' limit 1) as rule,
          (select mode from turn_facts where turn_id = ${turnId}) as mode`
      return { subject: row?.subject ?? undefined, allowed: row?.rule ? { rule: row.rule } : undefined, turnMode: row?.mode ?? undefined }
    },
    /** The maturity level the turn began with; undefined for a turn that recorded none. */
    async turnMode(turnId: string): Promise<MaturityLevel | undefined> {
      const [row] = await sql<{ mode: MaturityLevel }[]>`select mode from turn_facts where turn_id = ${turnId}`
      return row?.mode
    },
    /** Authenticates the conversation as `subject`, unless it already is someone else: then that someone. */
    async claimSubject(conversationId: string, subject: string, tool: string, callId: string): Promise<{ ok: true } | { ok: false; current: string }> {
      const [row] = await sql<{ subject: string }[]>`
        with i as (insert into conversation_subjects (conversation_id, subject, tool, call_id)
          values (${conversationId}, ${subject}, ${tool}, ${callId}) on conflict (conversation_id) do nothing returning subject)
        select subject from i union all select subject from conversation_subjects where conversation_id = ${conversationId} limit 1`
      return !row || row.subject === subject ? { ok: true } : { ok: false, current: row.subject }
    },
    /** What the customer said in this turn, and the last message shown to them before it (by the agent or a person). */
    async consent(turnId: string): Promise<{ said: string; shown: string | undefined } | undefined> {
      const [row] = await sql<{ said: string; shown: string | null }[]>`select m.text as said,
          (select p.text from messages p where p.conversation_id = m.conversation_id and p.seq < m.seq
             and p.role in ('assistant', 'human_agent') order by p.seq desc limit 1) as shown
        from messages m where m.id = ${turnId} and m.role = 'customer'`
      return row && { said: row.said, shown: row.shown ?? undefined }
    },
    /** Spends the turn's confirmation on this call; false when another call already spent it on the same action. */
    async useConfirmation(conversationId: string, turnId: string, action: string, callId: string): Promise<boolean> {
      const [row] = await sql<{ callId: string }[]>`
        with i as (insert into confirmations_used (conversation_id, turn_id, action, call_id)
          values (${conversationId}, ${turnId}, ${action}, ${callId}) on conflict (turn_id, action) do nothing returning call_id)
        select call_id as "callId" from i union all select call_id from confirmations_used where turn_id = ${turnId} and action = ${action} limit 1`
      return row?.callId === callId
    },
    async recordDecision(d: PolicyDecisionRecord): Promise<void> {
      await sql`insert into policy_decisions (tenant_id, conversation_id, turn_id, call_id, tool, agent, policy, policy_version, rule,
          outcome, reason, amount_usd, inputs)
        values (${d.tenantId}, ${d.conversationId}, ${d.turnId}, ${d.callId}, ${d.tool}, ${d.agent}, ${d.policy}, ${d.policyVersion}, ${d.rule},
          ${d.outcome}, ${d.reason}, ${d.amountUsd}, ${sql.json(d.inputs as never)})`
    },
    /** A conversation's decisions, oldest first; empty for another tenant's conversation. */
    async decisions(tenantId: string, conversationId: string, turnId?: string): Promise<StoredDecision[]> {
      return sql<StoredDecision[]>`select ${sql.unsafe(decisionColumns)} from policy_decisions
        where tenant_id = ${tenantId} and conversation_id = ${conversationId} ${turnId ? sql`and turn_id = ${turnId}` : sql``} order by id`
    },
  }
}
export type PolicyState = ReturnType<typeof createPolicyState>
