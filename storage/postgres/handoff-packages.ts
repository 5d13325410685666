// The handoff package, stored with its escalation: the facts the escalation actor builds it from (messages, recorded
// turn steps, tool calls, the customer's identities) and the one write that opens the escalation with its package,
// queue and SLA clocks. Opening is once per id, like `escalations.open`.
import type { ReasonCategory } from '../../lib/handoff-reasons.ts'
import type { Sql } from './client.ts'
import type { Identity } from './customers.ts'
import type { Role } from './messages.ts'

/** One action the AI agent took before the handoff, with what came of it. */
export interface PackageAction {
  tool: string
  arguments: Record<string, unknown>
  /** null: asked for, but no result was recorded (the turn was cut short). */
  ok: boolean | null
  /** The result or error, shortened for reading. */
  outcome: string | null
  turnId: string
}

export interface PackageFailure {
  what: string
  detail: string
}

export interface SentimentReading {
  /** -1 (angry) … 1 (happy), over the customer's recent messages. */
  score: number
  label: 'negative' | 'neutral' | 'positive'
  trend: 'improving' | 'worsening' | 'steady'
}

export interface CustomerProfile {
  customerId: string | null
  name: string | null
  email: string | null
  phone: string | null
  externalId: string | null
  channel: string
  /** The customer's conversations with this tenant, this one included. */
  conversations: number
  customerSince: string | null
}

export interface TicketFields {
  intent: string
  priority: 'low' | 'normal' | 'high' | 'urgent'
  sentiment: SentimentReading['label']
}

/** Everything the person taking over needs, built once when the escalation opens. */
export interface HandoffPackage {
  version: 1
  reason: { code: string; detail: string | null; category: ReasonCategory; label: string }
  /** The policy and rule that decided, when a policy did (guardrail, routing budget, agent policy). */
  policyRule: { source: string; policyVersion: string | null; rule: string } | null
  summary: string
  intent: { name: string; confidence: number }
  sentiment: SentimentReading
  customer: CustomerProfile
  actions: PackageAction[]
  failures: PackageFailure[]
  ticket: TicketFields
  completeness: { score: number; missing: string[] }
  builtAt: string
}

/** What the package is built from, read in a few indexed queries. */
export interface HandoffFacts {
  conversation: {
    id: string; tenantId: string; channel: string; agent: string; customerId: string | null
    metadata: Record<string, unknown>; createdAt: Date
  }
  identities: Identity[]
  customerConversations: number
  customerSince: Date | null
  messages: { id: string; role: Role; text: string; createdAt: Date }[]
  /** Recorded steps of the conversation's turns: model steps, input guardrail verdicts, replies. */
  steps: { turnId: string; step: string; result: unknown; createdAt: Date }[]
  toolCalls: { idempotencyKey: string; tool: string; args: unknown; ok: boolean | null; result: unknown }[]
}

export interface RoutedEscalation {
  id: string
  conversationId: string
  turnId?: string
  reason: string
  detail?: string
  package: HandoffPackage
  queueId: string
  priority: number
  firstResponseDueAt: Date
  resolutionDueAt: Date
}

const MAX_MESSAGES = 200

async function toolCallsOf(sql: Sql, steps: HandoffFacts['steps']): Promise<HandoffFacts['toolCalls']> {
  const keys = steps.flatMap((s) => {
    const calls = /^model\.\d+$/.test(s.step) ? (s.result as { toolCalls?: { id: string }[] }).toolCalls ?? [] : []
    return calls.map((c) => `${s.turnId}.tool.${c.id}`)
  })
  if (keys.length === 0) return []
  return sql<HandoffFacts['toolCalls']>`select idempotency_key as "idempotencyKey", tool, args, ok, result
    from tool_calls where idempotency_key = any(${keys}::text[])`
}

export function createHandoffPackages(sql: Sql) {
  return {
    /** The facts of one conversation, or undefined when it does not exist. */
    async facts(conversationId: string): Promise<HandoffFacts | undefined> {
      const [conversation] = await sql<HandoffFacts['conversation'][]>`select id, tenant_id as "tenantId", channel, agent,
        customer_id as "customerId", metadata, created_at as "createdAt" from conversations where id = ${conversationId}`
      if (!conversation) return undefined
      const messages = (await sql<HandoffFacts['messages']>`select id, role, text, created_at as "createdAt" from messages
        where conversation_id = ${conversationId} order by seq desc limit ${MAX_MESSAGES}`).reverse()
      const turnIds = messages.filter((m) => m.role === 'customer').map((m) => m.id)
      const steps = turnIds.length === 0 ? [] : await sql<HandoffFacts['steps']>`select turn_id as "turnId", step, result,
        created_at as "createdAt" from turn_steps where turn_id = any(${turnIds}::text[])
          and (step like 'model.%' or step in ('reply', 'guardrail.input')) order by created_at, step`
      const customer = await customerOf(sql, conversation)
      return { conversation, messages, steps, toolCalls: await toolCallsOf(sql, steps), ...customer }
    },
    /** Opens the escalation with its package, queue and SLA clocks, and marks the conversation escalated; once per id. */
    async open(e: RoutedEscalation): Promise<boolean> {
      return sql.begin(async (tx) => {
        const rows = await tx`insert into escalations (id, conversation_id, turn_id, reason, detail, category, package, completeness,
            queue_id, priority, first_response_due_at, resolution_due_at)
          values (${e.id}, ${e.conversationId}, ${e.turnId ?? null}, ${e.reason}, ${e.detail ?? null}, ${e.package.reason.category},
            ${tx.json(e.package as never)}, ${e.package.completeness.score}, ${e.queueId}, ${e.priority}, ${e.firstResponseDueAt},
            ${e.resolutionDueAt})
          on conflict (id) do nothing returning id`
        if (rows.length === 0) return false
        await tx`update conversations set status = 'escalated', updated_at = now() where id = ${e.conversationId}`
        return true
      })
    },
    /** The stored package of an escalation of the tenant. */
    async get(tenantId: string, escalationId: string): Promise<HandoffPackage | undefined> {
      const [row] = await sql<{ package: HandoffPackage | null }[]>`select e.package from escalations e
        join conversations c on c.id = e.conversation_id where e.id = ${escalationId} and c.tenant_id = ${tenantId}`
      return row?.package ?? undefined
    },
  }
}
export type HandoffPackages = ReturnType<typeof createHandoffPackages>

async function customerOf(sql: Sql, c: HandoffFacts['conversation']) {
  if (!c.customerId) return { identities: [], customerConversations: 1, customerSince: null }
  const [identities, [stats]] = await Promise.all([
    sql<Identity[]>`select kind, value from customer_identities where customer_id = ${c.customerId} order by created_at`,
    sql<{ n: number; since: Date | null }[]>`select count(*)::int as n, min(created_at) as since from conversations
      where customer_id = ${c.customerId} and tenant_id = ${c.tenantId}`,
  ])
  return { identities, customerConversations: stats?.n ?? 1, customerSince: stats?.since ?? null }
}
