// Checkpoints of turns: one row per completed step, so a resumed turn never repeats a recorded step
// (in particular, never calls the model again). Each write is one statement: atomic and one round trip. Checkpoints
// commit asynchronously, the writes that end a turn synchronously (see async-commit.ts).
import type { Sql } from './client.ts'
import type { AgentMode } from './assist.ts'
import type { ConversationStatus } from './conversations.ts'
import type { StoredMessage } from './messages.ts'
import type { ProviderCallRecord } from './provider-calls.ts'
import { earlierCustomerMessages, MERGED_STEP, SETTLED_STEPS } from './settled-steps.ts'
import { asyncCommit } from './async-commit.ts'
import { loadTurnContext, withheldOf, type StepRow, type TurnContextRows } from './turn-context.ts'


export interface TurnStart {
  /** Steps already recorded for this turn (empty on a first delivery). */
  steps: Map<string, unknown>
  /** False when the customer message was already stored (by the API, or by an earlier delivery). */
  inserted: boolean
  /** The conversation was erased: nothing was stored, and the turn must not run. */
  erased: boolean
  /** The stored customer message (absent when erased), so the hot tier can be written without reading it back. */
  message?: StoredMessage
  /** `escalated` while humans are in charge of the conversation (a handoff not yet handed back). */
  status: ConversationStatus
  /** This turn opened an escalation: a redelivery still owes the customer its handoff reply. */
  escalatedHere: boolean
  /** An earlier customer message of the conversation still owes a reply (within EARLIER_LOOKBACK): it goes first. */
  earlierUnsettled: boolean
  /**
   * The agent's mode for this conversation: the level the promotion gate set for its conversation type, else its
   * definition's `spec.mode`. In `assist`, its replies are drafts for a person.
   */
  mode: AgentMode
  /** The agent definition in force: the scope it comes from ('*' or the tenant) and its version; absent when undefined. */
  agent?: { scope: string; version: number }
  /** The customer's segment, for routing rules and KPIs. */
  segment?: string
  /** The AgentPolicy in force for the agent: its name, scope and version. */
  policy?: { name: string; scope: string; version: number }
}

export interface TurnBegin {
  turnId: string
  conversationId: string
  text: string
  /** The classified intent of the customer's message, recorded with the turn's facts. */
  intent?: string
  intentConfidence?: number
  /**
   * The conversation's row is known to exist (the actor read it, or an earlier turn wrote it): the statement then
   * does not try to create it, which would cost the row and statement triggers of an insert on every turn.
   */
  conversationStored?: boolean
}

/**
 * A model call and the turn step it completed, recorded together. An in-process model's answer that asks for no tool
 * is written with the turn's reply (or draft), not in a statement of its own: until the reply, only work in the same
 * process follows it (the output checks, a revision), so nothing durable depends on it, and a turn that dies first
 * asks the model again, which costs nothing. An answer that asks for tools is recorded before they run: their
 * idempotency keys name its step.
 */
export interface ModelCallStep {
  call: ProviderCallRecord
  step: string
  result: unknown
}

/** A reply as recorded, and its stored message when this call stored it (not when an earlier delivery did). */
export interface RecordedStep<T> {
  result: T
  message?: StoredMessage
}

/** What a window of stored messages needs besides their words (see `window`). */
export interface WindowSteps {
  /** Each reply's tool calls and results, by its turn's id. */
  transcripts: Map<string, unknown[]>
  /** The customer messages a guardrail withheld from models. */
  withheld: Set<string>
}

// Postgres' SQLSTATE for an insert whose referenced row is missing.
const FOREIGN_KEY_VIOLATION = '23503'

export function createTurnSteps(sql: Sql) {
  // A resource in force for the conversation's tenant: its own newest version, else the platform's ('*'), unless
  // that newest version is a deletion. Correlated on `c` (the conversation row); `name` is a column expression.
  const inForce = (kind: string, name: ReturnType<typeof sql>) => sql`select v.tenant_id, v.version, v.spec from (
      select distinct on (tenant_id) tenant_id, version, spec from resource_versions
      where kind = ${kind} and name = ${name} and tenant_id in (c.tenant_id, '*') order by tenant_id, version desc) v
    where v.spec is not null order by v.tenant_id = '*' limit 1`
  const get = async <T>(turnId: string, step: string): Promise<T | undefined> => {
    const [row] = await sql<{ result: T }[]>`select result from turn_steps where turn_id = ${turnId} and step = ${step}`
    return row?.result
  }
  // Model calls with the steps they completed, as leading CTEs of a turn's write (none: no CTE); first writes win.
  const modelCallCtes = (calls: readonly ModelCallStep[]) => calls.length === 0 ? sql`` : sql`
    pc as (insert into provider_calls ${sql(calls.map(({ call }) => providerCallRow(call)))} on conflict (id) do nothing),
    ps as (insert into turn_steps ${sql(calls.map(({ call, step, result }) => ({ turn_id: call.turnId, step, result: sql.json(result as never) })))}
      on conflict (turn_id, step) do nothing),`
  // `durable`: wait for the commit's WAL flush; a checkpoint does not (see async-commit.ts).
  const insertStep = async <T>(turnId: string, step: string, result: T, durable: boolean): Promise<T> => {
    const [row] = await sql<{ result: T }[]>`insert into turn_steps (turn_id, step, result)
      select ${turnId}, ${step}, ${sql.json(result as never)} ${durable ? sql`` : sql`from ${asyncCommit(sql)}`}
      on conflict (turn_id, step) do nothing returning result`
    return row ? row.result : ((await get<T>(turnId, step)) as T)
  }
  async function recordModelCall<T>(call: ProviderCallRecord, step: string, result: T): Promise<T> {
    const [row] = await sql<{ result: T }[]>`
      with p as (insert into provider_calls ${sql(providerCallRow(call))} on conflict (id) do nothing)
      insert into turn_steps (turn_id, step, result) select ${call.turnId}, ${step}, ${sql.json(result as never)} from ${asyncCommit(sql)}
      on conflict (turn_id, step) do nothing returning result`
    return row ? row.result : ((await get<T>(call.turnId, step)) as T)
  }
  async function begin(turn: TurnBegin): Promise<TurnStart> {
    type Row = {
      step: string | null; result: unknown; inserted: boolean; erased: boolean; seq: number | null; createdAt: Date | null
      status: ConversationStatus | null; mode: AgentMode | null; escalatedHere: boolean; earlierUnsettled: boolean
      agentScope: string | null; agentVersion: number | null; segment: string | null
      policy: string | null; policyScope: string | null; policyVersion: number | null
    }
    // The statement's snapshot does not see the row `m` inserts, so an existing row comes from `messages`. It commits
    // asynchronously unless the turn is settled already: such a turn (merged into another) ends without another write.
    const settled = sql`exists (select 1 from turn_steps where turn_id = ${turn.turnId} and step = any(${SETTLED_STEPS}::text[]))`
    const rows = await sql<Row[]>`
      with e as (select exists (select 1 from erased_conversations where id = ${turn.conversationId}) as erased),
      ${turn.conversationStored ? sql`` : sql`c as (insert into conversations (id) select ${turn.conversationId} where not (select erased from e)
        on conflict (id) do nothing),`}
      m as (insert into messages (id, conversation_id, role, text)
        select ${turn.turnId}, ${turn.conversationId}, 'customer', ${turn.text} where not (select erased from e)
        on conflict (id) do nothing returning seq, created_at),
      stored as (select seq, created_at from m union all select seq, created_at from messages where id = ${turn.turnId}),
      row as (select tenant_id, agent, status, customer_id from conversations where id = ${turn.conversationId}
        union all select 'default', 'demo', 'open', null
        where not exists (select 1 from conversations where id = ${turn.conversationId})),
      -- The conversation's type: the intent of its first classified turn (this one, for a first turn), as the KPIs count it.
      ty as (select coalesce((select t.intent from turn_facts t where t.conversation_id = ${turn.conversationId} and t.intent is not null
          order by t.created_at limit 1), ${turn.intent ?? null}::text) as type),
      conv as (select c.agent, c.status, cu.segment, a.tenant_id as scope, a.version, coalesce(tm.mode, a.spec->>'mode') as mode,
          a.spec->>'policy' as policy, p.tenant_id as policy_scope, p.version as policy_version from row c
        left join customers cu on cu.id = c.customer_id
        left join lateral (${inForce('Agent', sql`c.agent`)}) a on true
        -- The level the promotion gate set for this agent and conversation type, over the agent's own mode.
        left join agent_type_maturity tm on tm.tenant_id = c.tenant_id and tm.agent = c.agent and tm.conversation_type = (select type from ty)
        left join lateral (${inForce('AgentPolicy', sql`a.spec->>'policy'`)}) p on true),
      f as (insert into turn_facts (turn_id, conversation_id, agent, agent_scope, agent_version, policy, policy_version, mode, intent,
          intent_confidence, segment)
        select ${turn.turnId}, ${turn.conversationId}, agent, scope, version, policy, policy_version, coalesce(mode, 'execute'),
          ${turn.intent ?? null}, ${turn.intentConfidence ?? null}, segment from conv where not (select erased from e)
        on conflict (turn_id) do nothing)
      select s.step, s.result, exists (select 1 from m) as inserted, (select erased from e) as erased,
        (select seq from stored limit 1) as seq, (select created_at from stored limit 1) as "createdAt",
        (select status from conv) as status, (select mode from conv) as mode, (select segment from conv) as segment,
        (select scope from conv) as "agentScope", (select version from conv) as "agentVersion", (select policy from conv) as policy,
        (select policy_scope from conv) as "policyScope", (select policy_version from conv) as "policyVersion",
        exists (select 1 from escalations where turn_id = ${turn.turnId}) as "escalatedHere",
        exists (select 1 from (${earlierCustomerMessages(sql, turn.conversationId, sql`(select seq from stored limit 1)`)}) e
          where not exists (select 1 from turn_steps es where es.turn_id = e.id and es.step = any(${SETTLED_STEPS}::text[]))) as "earlierUnsettled"
      from ${asyncCommit(sql, settled)} left join turn_steps s on s.turn_id = ${turn.turnId}`
    const first = rows[0]
    const steps = new Map(rows.filter((r) => r.step !== null).map((r) => [r.step!, r.result]))
    const message = first?.seq != null && first.createdAt ? {
      id: turn.turnId, conversationId: turn.conversationId, seq: Number(first.seq), role: 'customer' as const, text: turn.text, turnId: null, createdAt: first.createdAt,
    } : undefined
    // A conversation this statement creates is not visible to it yet: `row` stands in with the column defaults.
    return {
      steps, inserted: first?.inserted ?? false, erased: first?.erased ?? false, message, status: first?.status ?? 'open',
      mode: first?.mode ?? 'execute', escalatedHere: first?.escalatedHere ?? false, earlierUnsettled: first?.earlierUnsettled ?? false,
      ...(first?.agentScope && first.agentVersion ? { agent: { scope: first.agentScope, version: first.agentVersion } } : {}),
      ...(first?.segment ? { segment: first.segment } : {}),
      ...(first?.policy && first.policyScope && first.policyVersion
        ? { policy: { name: first.policy, scope: first.policyScope, version: first.policyVersion } } : {}),
    }
  }
  return {
    get,
    /** A model call's prompt by reference (see turn-context.ts): `ids` are the context window's message ids. */
    context: (turnId: string, ids: readonly string[], inputStep: string): Promise<TurnContextRows> => loadTurnContext(sql, turnId, ids, inputStep),
    /**
     * Stores the customer message (if new) and returns the turn's recorded steps, in one round trip. A turn of an
     * erased conversation stores nothing (`erased`): its mail was queued before the erasure swept the queues.
     */
    async begin(turn: TurnBegin): Promise<TurnStart> {
      try {
        return await begin(turn)
      } catch (e) {
        // The row was deleted after all (a retention purge): create it again, as a first turn would.
        if (turn.conversationStored && (e as { code?: string }).code === FOREIGN_KEY_VIOLATION) return begin({ ...turn, conversationStored: false })
        throw e
      }
    },
    /**
     * What a window of stored messages needs besides their words: the tool calls and results each of `replyTurns` went
     * through before its reply (its `reply` step's transcript), and which of `customerIds` a guardrail withheld from
     * models (`inputStep` is the input verdict's step). One round trip, by key.
     */
    async window(replyTurns: readonly string[], customerIds: readonly string[], inputStep: string): Promise<WindowSteps> {
      if (replyTurns.length === 0 && customerIds.length === 0) return { transcripts: new Map(), withheld: new Set() }
      // Of a reply only its transcript: the rest of its record (checks, citations) is the larger part.
      const rows = await sql<StepRow[]>`select turn_id as id, step, result->'transcript' as result from turn_steps
        where turn_id = any(${replyTurns as string[]}) and step = 'reply' and jsonb_typeof(result->'transcript') = 'array'
        union all
        select turn_id, step, result from turn_steps where turn_id = any(${customerIds as string[]}) and step in (${inputStep}, ${MERGED_STEP})`
      const transcripts = new Map(rows.filter((r) => r.step === 'reply').map((r) => [r.id, r.result as unknown[]]))
      return { transcripts, withheld: withheldOf(customerIds, rows, inputStep) }
    },
    /** Records the step once, durably; returns the result that is recorded (the first one wins). */
    record: <T>(turnId: string, step: string, result: T): Promise<T> => insertStep(turnId, step, result, true),
    /** `record` for a step whose loss in a crash only costs doing it again: it commits asynchronously (async-commit.ts). */
    checkpoint: <T>(turnId: string, step: string, result: T): Promise<T> => insertStep(turnId, step, result, false),
    /**
     * Double texting, merge policy: claims the customer messages stored after `turnId` whose own turns have not
     * started, marking each `merged` into this turn (their turns then do nothing). Idempotent for a redelivered turn.
     */
    async claimFollowing(conversationId: string, turnId: string): Promise<StoredMessage[]> {
      return sql<StoredMessage[]>`
        with later as (
          select m.id, m.text, m.seq, m.created_at from messages m
          where m.conversation_id = ${conversationId} and m.role = 'customer'
            and m.seq > (select seq from messages where id = ${turnId})
            and not exists (select 1 from turn_steps s where s.turn_id = m.id
              and not (s.step = ${MERGED_STEP} and s.result->>'into' = ${turnId}))),
        claimed as (
          insert into turn_steps (turn_id, step, result)
          select id, ${MERGED_STEP}, jsonb_build_object('into', ${turnId}::text) from later
          on conflict (turn_id, step) do nothing)
        select id, ${conversationId}::text as "conversationId", seq, 'customer' as role, text, null as "turnId",
          created_at as "createdAt" from later order by seq`
    },
    /**
     * Stores the assistant message and the step that produced it atomically, with the model calls that waited for it;
     * the first write wins.
     */
    async recordReply<T extends { id: string; text: string }>(
      conversationId: string, turnId: string, step: string, reply: T, calls: readonly ModelCallStep[] = [],
    ): Promise<RecordedStep<T>> {
      const [row] = await sql<{ result: T | null; seq: number | null; createdAt: Date | null }[]>`
        with ${modelCallCtes(calls)} m as (insert into messages (id, conversation_id, role, text, turn_id)
          values (${reply.id}, ${conversationId}, 'assistant', ${reply.text}, ${turnId}) on conflict (id) do nothing
          returning seq, created_at),
        s as (insert into turn_steps (turn_id, step, result) values (${turnId}, ${step}, ${sql.json(reply as never)})
          on conflict (turn_id, step) do nothing returning result)
        select (select result from s) as result, (select seq from m) as seq, (select created_at from m) as "createdAt"`
      const message = row?.seq != null && row.createdAt ? {
        id: reply.id, conversationId, seq: Number(row.seq), role: 'assistant' as const, text: reply.text, turnId, createdAt: row.createdAt,
      } : undefined
      return { result: row?.result ?? ((await get<T>(turnId, step)) as T), message }
    },
    /** Assist mode: stores the reply as a draft for a person, with the step that produced it (and `calls`, as recordReply). */
    async recordDraft<T extends { id: string; text: string }>(
      conversationId: string, turnId: string, step: string, reply: T, calls: readonly ModelCallStep[] = [],
    ): Promise<T> {
      const [row] = await sql<{ result: T }[]>`
        with ${modelCallCtes(calls)} d as (insert into reply_drafts (id, conversation_id, turn_id, text)
          values (${reply.id}, ${conversationId}, ${turnId}, ${reply.text}) on conflict (id) do nothing)
        insert into turn_steps (turn_id, step, result) values (${turnId}, ${step}, ${sql.json(reply as never)})
        on conflict (turn_id, step) do nothing returning result`
      return row ? row.result : ((await get<T>(turnId, step)) as T)
    },
    /** Stores a model call and the step it completed atomically, as a checkpoint (async-commit.ts); the first write wins. */
    recordModelCall,
  }
}

/** A model call as its `provider_calls` row. */
function providerCallRow(call: ProviderCallRecord) {
  return {
    id: call.id, conversation_id: call.conversationId, turn_id: call.turnId, provider: call.provider, model: call.model,
    input_tokens: call.inputTokens, output_tokens: call.outputTokens, cached_tokens: call.cachedTokens, cost_usd: call.costUsd,
    latency_ms: Math.round(call.latencyMs), fallback_path: call.fallbackPath, routing_policy_version: call.policyVersion,
    routing_rule: call.rule, degraded_by: call.degradedBy,
  }
}
export type TurnSteps = ReturnType<typeof createTurnSteps>
