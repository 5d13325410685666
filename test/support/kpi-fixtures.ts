// Conversations written straight into Postgres with chosen timestamps, so KPI tests and benchmarks know every
// figure in advance: messages, closes and reopenings, CSAT, escalations with their ratings, spend and reviews.
import type { Sql } from '../../storage/index.ts'

export interface FixtureMessage {
  role: 'customer' | 'assistant' | 'human_agent'
  /** Seconds after the conversation started. */
  atS: number
  text?: string
}

export interface FixtureConversation {
  id: string
  tenant?: string
  agent?: string
  channel?: string
  customer?: string
  intent?: string
  /** Intent confidence of every customer turn. */
  confidence?: number
  mode?: string
  createdAt: number
  messages: FixtureMessage[]
  status?: 'open' | 'escalated' | 'closed'
  closedAtS?: number
  reopenedAtS?: number
  csat?: number
  modelUsd?: number
  /** Guardrail steps recorded on the first customer message. */
  guardrailChecks?: number
  escalation?: {
    atS: number; category: string; takenAtS?: number; resolvedAtS?: number; completeness?: number; packageMissing?: string[]
    rating?: { hadWhatNeeded: boolean; missing: string[] }
  }
  toolCallsAtS?: number[]
  qaScore?: number
}

const at = (c: FixtureConversation, s: number | undefined) => (s === undefined ? null : new Date(c.createdAt + s * 1000))

export async function insertConversation(sql: Sql, c: FixtureConversation): Promise<void> {
  const tenant = c.tenant ?? 't1'
  const status = c.status ?? (c.closedAtS !== undefined && !(c.reopenedAtS !== undefined && c.reopenedAtS > c.closedAtS) ? 'closed' : 'open')
  await sql`insert into conversations (id, tenant_id, customer_id, channel, agent, status, created_at, updated_at, closed_at, reopened_at)
    values (${c.id}, ${tenant}, ${c.customer ?? null}, ${c.channel ?? 'chat'}, ${c.agent ?? 'bot'}, ${status}, ${new Date(c.createdAt)},
      ${new Date(c.createdAt)}, ${at(c, c.closedAtS)}, ${at(c, c.reopenedAtS)})`
  let lastCustomer: string | null = null
  for (const [i, m] of c.messages.entries()) {
    const id = `${c.id}.m${i}`
    await sql`insert into messages (id, conversation_id, role, text, turn_id, created_at)
      values (${id}, ${c.id}, ${m.role}, ${m.text ?? 'hello'}, ${m.role === 'assistant' ? lastCustomer : null}, ${at(c, m.atS)})`
    if (m.role === 'customer') {
      lastCustomer = id
      await sql`insert into turn_facts (turn_id, conversation_id, agent, mode, intent, intent_confidence, created_at)
        values (${id}, ${c.id}, ${c.agent ?? 'bot'}, ${c.mode ?? 'execute'}, ${c.intent ?? null}, ${c.confidence ?? null}, ${at(c, m.atS)})`
    }
  }
  const first = `${c.id}.m0`
  for (let i = 0; i < (c.guardrailChecks ?? 0); i++) {
    await sql`insert into turn_steps (turn_id, step, result) values (${first}, ${`guardrail.check${i}`}, ${sql.json({ verdict: 'allow' })})`
  }
  if (c.modelUsd) {
    await sql`insert into provider_calls (id, conversation_id, turn_id, provider, model, cost_usd, latency_ms, created_at)
      values (${`${c.id}.call`}, ${c.id}, ${first}, 'openai', 'gpt-4o-mini', ${c.modelUsd}, 100, ${new Date(c.createdAt)})`
  }
  if (c.csat !== undefined) {
    await sql`insert into csat_ratings (conversation_id, tenant_id, rating, created_at) values (${c.id}, ${tenant}, ${c.csat}, ${at(c, c.closedAtS ?? 0)})`
  }
  if (c.escalation) await insertEscalation(sql, c, tenant)
  for (const [i, s] of (c.toolCallsAtS ?? []).entries()) {
    await sql`insert into tool_calls (idempotency_key, tool, args, conversation_id, ok, created_at)
      values (${`${c.id}.tool.${i}`}, 'refund_order', '{}', ${c.id}, true, ${at(c, s)})`
  }
  if (c.qaScore !== undefined) {
    await sql`insert into qa_reviews (id, conversation_id, tenant_id, reviewer_id, scores, score, rubric_version)
      values (${`${c.id}.qa`}, ${c.id}, ${tenant}, 'reviewer', '{}', ${c.qaScore}, 'v1')`
  }
}

async function insertEscalation(sql: Sql, c: FixtureConversation, tenant: string): Promise<void> {
  const e = c.escalation!
  const id = `${c.id}.esc`
  const pkg = { completeness: { score: e.completeness ?? 1, missing: e.packageMissing ?? [] } }
  await sql`insert into escalations (id, conversation_id, reason, status, category, completeness, package, created_at, taken_by, taken_at, resolved_at)
    values (${id}, ${c.id}, 'agent.escalated', ${e.resolvedAtS !== undefined ? 'resolved' : e.takenAtS !== undefined ? 'taken' : 'open'},
      ${e.category}, ${e.completeness ?? null}, ${sql.json(pkg)}, ${at(c, e.atS)}, ${e.takenAtS === undefined ? null : 'agent-1'},
      ${at(c, e.takenAtS)}, ${at(c, e.resolvedAtS)})`
  if (e.rating) {
    await sql`insert into handoff_ratings (escalation_id, conversation_id, tenant_id, user_id, had_what_needed, missing)
      values (${id}, ${c.id}, ${tenant}, 'agent-1', ${e.rating.hadWhatNeeded}, ${e.rating.missing})`
  }
}
