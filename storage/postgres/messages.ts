// Messages of a conversation, in order. Ids are chosen by the caller (message id, `<turn>.reply`), so every
// write is idempotent: a redelivered turn inserts nothing twice.
import type { Sql } from './client.ts'
import { earlierCustomerMessages, SETTLED_STEPS } from './settled-steps.ts'

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

/** A customer message still owed a reply, with what its mail needs. */
export interface UnansweredMessage {
  id: string
  conversationId: string
  seq: number
  text: string
  channel: string
  createdAt: Date
}

const columns = (sql: Sql) =>
  sql`id, conversation_id as "conversationId", seq, role, text, turn_id as "turnId", created_at as "createdAt"`

export function createMessages(sql: Sql) {
  // Correlated on `m`: the message still owes a reply (no settling step recorded).
  const unsettled = () => sql`not exists (select 1 from turn_steps s where s.turn_id = m.id and s.step = any(${SETTLED_STEPS}::text[]))`
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
    /**
     * Customer messages of open conversations written since `since` still owed a reply (not answered, merged into
     * another turn, or passed to humans), in transcript order, from after `afterSeq`: the mail a Redis that lost its
     * data lost.
     */
    async unanswered(since: Date, afterSeq: number, limit: number): Promise<UnansweredMessage[]> {
      return sql<UnansweredMessage[]>`select m.id, m.conversation_id as "conversationId", m.seq, m.text, c.channel,
          m.created_at as "createdAt"
        from messages m join conversations c on c.id = m.conversation_id
        where m.role = 'customer' and m.seq > ${afterSeq} and m.created_at > ${since} and c.status = 'open' and ${unsettled()}
        order by m.seq limit ${limit}`
    },
    /**
     * Customer messages of the conversation written before `messageId` that still owe a reply, oldest first: of its
     * last customer messages, those within EARLIER_LOOKBACK (the window turnSteps.begin looks at).
     */
    async unansweredBefore(conversationId: string, messageId: string): Promise<UnansweredMessage[]> {
      return sql<UnansweredMessage[]>`select m.id, m.conversation_id as "conversationId", m.seq, m.text, c.channel,
          m.created_at as "createdAt"
        from (${earlierCustomerMessages(sql, conversationId, sql`(select seq from messages where id = ${messageId} and conversation_id = ${conversationId})`)}) m
        join conversations c on c.id = m.conversation_id
        where ${unsettled()} order by m.seq`
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
