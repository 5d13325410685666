// Messages of a conversation, in order. Ids are chosen by the caller (message id, `<turn>.reply`), so every
// write is idempotent: a redelivered turn inserts nothing twice.
import type { Sql } from './client.ts'

export type Role = 'customer' | 'assistant' | 'human_agent' | 'system'

export interface StoredMessage {
  id: string
  conversationId: string
  seq: number
  role: Role
  text: string
  turnId: string | null
  createdAt: Date
}

export interface NewMessage {
  id: string
  conversationId: string
  role: Role
  text: string
  turnId?: string
}

const columns = (sql: Sql) =>
  sql`id, conversation_id as "conversationId", seq, role, text, turn_id as "turnId", created_at as "createdAt"`

export function createMessages(sql: Sql) {
  return {
    /** Inserts the message (creating its conversation if needed); false when it already existed. */
    async append(m: NewMessage, conversation?: { tenantId?: string; channel?: string }): Promise<boolean> {
      const rows = await sql`with c as (
          insert into conversations (id, tenant_id, channel) values (${m.conversationId},
            ${conversation?.tenantId ?? 'default'}, ${conversation?.channel ?? 'chat'}) on conflict (id) do nothing)
        insert into messages (id, conversation_id, role, text, turn_id)
        values (${m.id}, ${m.conversationId}, ${m.role}, ${m.text}, ${m.turnId ?? null})
        on conflict (id) do nothing returning id`
      return rows.length === 1
    },
    async get(id: string): Promise<StoredMessage | undefined> {
      const [row] = await sql<StoredMessage[]>`select ${columns(sql)} from messages where id = ${id}`
      return row
    },
    /** The last `limit` messages, oldest first. */
    async recent(conversationId: string, limit: number): Promise<StoredMessage[]> {
      const rows = await sql<StoredMessage[]>`select ${columns(sql)} from messages
        where conversation_id = ${conversationId} order by seq desc limit ${limit}`
      return rows.reverse()
    },
    async list(conversationId: string, afterSeq = 0, limit = 500): Promise<StoredMessage[]> {
      return sql<StoredMessage[]>`select ${columns(sql)} from messages
        where conversation_id = ${conversationId} and seq > ${afterSeq} order by seq limit ${limit}`
    },
  }
}
export type Messages = ReturnType<typeof createMessages>
