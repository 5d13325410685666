// Scenarios a tenant keeps for the Arena, grouped into suites (hand-written ones, and conversations turned into
// regression scenarios), and the read of a recorded conversation such a scenario is built from.
import type { Sql } from './client.ts'

export interface StoredScenario {
  id: string
  suite: string
  kind: 'task' | 'scripted' | 'recorded'
  spec: unknown
  sourceConversationId: string | null
  createdBy: string
  createdAt: Date
}

/** A conversation as recorded: its messages and, from each turn's reply step, the tools called and their results. */
export interface RecordedConversation {
  id: string
  status: string
  messages: Array<{ id: string; role: string; text: string }>
  /** Tool calls with their recorded results, in the order they ran. */
  exchanges: Array<{ tool: string; args: Record<string, unknown>; result: unknown }>
}

interface ReplyTurn {
  role: string
  text: string
  toolCallId?: string
  isError?: boolean
  toolCalls?: Array<{ id: string; name: string; arguments: Record<string, unknown> }>
}

const COLUMNS = `id, suite, kind, spec, source_conversation_id as "sourceConversationId", created_by as "createdBy", created_at as "createdAt"`

export function createArenaScenarios(sql: Sql) {
  return {
    /** Saves a scenario; for a conversation already kept in this suite, returns the one kept (and `created: false`). */
    async save(tenantId: string, s: Omit<StoredScenario, 'createdAt'>): Promise<{ scenario: StoredScenario; created: boolean }> {
      const [row] = await sql.unsafe<StoredScenario[]>(`insert into arena_scenarios (tenant_id, id, suite, kind, spec, source_conversation_id, created_by)
        values ($1, $2, $3, $4, $5, $6, $7) on conflict do nothing returning ${COLUMNS}`,
      [tenantId, s.id, s.suite, s.kind, sql.json(s.spec as never) as never, s.sourceConversationId, s.createdBy])
      if (row) return { scenario: row, created: true }
      const [kept] = await sql.unsafe<StoredScenario[]>(`select ${COLUMNS} from arena_scenarios where tenant_id = $1
        and (id = $2 or (suite = $3 and source_conversation_id = $4)) order by created_at limit 1`, [tenantId, s.id, s.suite, s.sourceConversationId])
      return { scenario: kept!, created: false }
    },

    async list(tenantId: string, suite?: string): Promise<StoredScenario[]> {
      return sql.unsafe<StoredScenario[]>(`select ${COLUMNS} from arena_scenarios where tenant_id = $1 and ($2::text is null or suite = $2)
        order by created_at, id`, [tenantId, suite ?? null])
    },

    /** A tenant's conversation with its recorded tool exchanges; undefined if it is not the tenant's. */
    async recorded(tenantId: string, conversationId: string): Promise<RecordedConversation | undefined> {
      const [conversation] = await sql<{ status: string }[]>`select status from conversations where id = ${conversationId} and tenant_id = ${tenantId}`
      if (!conversation) return undefined
      const messages = await sql<RecordedConversation['messages']>`select id, role, text from messages
        where conversation_id = ${conversationId} order by seq`
      const replies = await sql<{ result: { transcript?: ReplyTurn[] } }[]>`select s.result from turn_steps s join messages m on m.id = s.turn_id
        where m.conversation_id = ${conversationId} and m.role = 'customer' and s.step = 'reply' order by m.seq`
      return { id: conversationId, status: conversation.status, messages: [...messages], exchanges: replies.flatMap((r) => exchangesOf(r.result.transcript ?? [])) }
    },
  }
}
export type ArenaScenarios = ReturnType<typeof createArenaScenarios>

/** Pairs each tool call of a turn's transcript with the tool turn that answered it. */
function exchangesOf(transcript: ReplyTurn[]): RecordedConversation['exchanges'] {
  const calls = new Map(transcript.flatMap((t) => t.toolCalls ?? []).map((c) => [c.id, c]))
  return transcript.filter((t) => t.role === 'tool' && t.toolCallId && calls.has(t.toolCallId)).map((t) => {
    const call = calls.get(t.toolCallId!)!
    return { tool: call.name, args: call.arguments, result: resultOf(t) }
  })
}

/** A tool turn's text back into the tool's result shape. */
function resultOf(turn: ReplyTurn): unknown {
  let parsed: unknown = turn.text
  try {
    parsed = JSON.parse(turn.text)
  } catch {}
  if (turn.isError) return { ok: false, error: (parsed as { error?: unknown })?.error ?? { code: 'tool.failed', message: String(turn.text), retryable: false } }
  return { ok: true, output: parsed }
}
