// Assist mode: the drafts an assist-mode agent writes, which a person sends (edited or not) or discards. Every
// query is scoped by tenant, so a foreign id reads as absent.
import type { Sql } from './client.ts'
import type { StoredMessage } from './messages.ts'

export type AgentMode = 'assist' | 'execute' | 'operate'

export interface ReplyDraft {
  id: string
  conversationId: string
  turnId: string
  text: string
  status: 'pending' | 'sent' | 'discarded'
  decidedBy: string | null
  decidedAt: Date | null
  messageId: string | null
  createdAt: Date
}

/** Deciding on a draft: done, no such draft for the tenant, already decided, or its conversation closed. */
export type DraftOutcome<T> = { ok: true; value: T } | { ok: false; reason: DraftRefusal }
type DraftRefusal = 'not_found' | 'decided' | 'closed'

const draftColumns = `d.id, d.conversation_id as "conversationId", d.turn_id as "turnId", d.text, d.status,
  d.decided_by as "decidedBy", d.decided_at as "decidedAt", d.message_id as "messageId", d.created_at as "createdAt"`
const messageColumns = `id, conversation_id as "conversationId", seq, role, text, turn_id as "turnId", created_at as "createdAt"`

export function createAssist(sql: Sql) {
  /** Explains why a decision matched nothing. */
  const refusal = async (tenantId: string, id: string): Promise<{ ok: false; reason: DraftRefusal }> => {
    const [row] = await sql<{ draft: string; conversation: string }[]>`select d.status as draft, c.status as conversation
      from reply_drafts d join conversations c on c.id = d.conversation_id where d.id = ${id} and c.tenant_id = ${tenantId}`
    return { ok: false, reason: !row ? 'not_found' : row.draft !== 'pending' ? 'decided' : 'closed' }
  }
  return {
    /** The conversation's drafts, oldest first; undefined when the tenant has no such conversation. */
    async drafts(tenantId: string, conversationId: string): Promise<ReplyDraft[] | undefined> {
      const [conversation] = await sql`select 1 from conversations where id = ${conversationId} and tenant_id = ${tenantId}`
      if (!conversation) return undefined
      return sql<ReplyDraft[]>`select ${sql.unsafe(draftColumns)} from reply_drafts d
        where d.conversation_id = ${conversationId} order by d.created_at, d.id`
    },
    /** Sends a pending draft as the agent's reply (its text replaced when edited), once. */
    async send(tenantId: string, id: string, by: string, text?: string): Promise<DraftOutcome<StoredMessage>> {
      const [message] = await sql<StoredMessage[]>`
        with d as (update reply_drafts d set status = 'sent', decided_by = ${by}, decided_at = now(), message_id = d.id,
            text = coalesce(${text ?? null}, d.text)
          from conversations c where d.id = ${id} and c.id = d.conversation_id and c.tenant_id = ${tenantId}
            and d.status = 'pending' and c.status <> 'closed'
          returning d.id, d.conversation_id, d.turn_id, d.text)
        insert into messages (id, conversation_id, role, text, turn_id)
        select id, conversation_id, 'assistant', text, turn_id from d returning ${sql.unsafe(messageColumns)}`
      return message ? { ok: true, value: message } : refusal(tenantId, id)
    },
    async discard(tenantId: string, id: string, by: string): Promise<DraftOutcome<null>> {
      const [row] = await sql`update reply_drafts d set status = 'discarded', decided_by = ${by}, decided_at = now()
        from conversations c where d.id = ${id} and c.id = d.conversation_id and c.tenant_id = ${tenantId} and d.status = 'pending'
        returning d.id`
      return row ? { ok: true, value: null } : refusal(tenantId, id)
    },
  }
}
export type Assist = ReturnType<typeof createAssist>
