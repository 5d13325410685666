// Warm-tier queries of the session store: many messages in one statement, the recent window together with
// the conversation's tier, and a customer's recent messages across channels.
import { RetryableError } from '../../lib/errors.ts'
import type { Sql } from './client.ts'
import type { NewMessage, StoredMessage } from './messages.ts'

export interface ConversationContext {
  tenantId?: string
  channel?: string
  agent?: string
  customerId?: string
}

export interface AppendRow extends NewMessage {
  conversation?: ConversationContext
}

export interface AppendedRow extends StoredMessage {
  /** False when the id was already stored (a redelivery): the stored row is returned instead. */
  inserted: boolean
  /** True when this statement created the conversation. */
  fresh: boolean
}

export interface WarmWindow {
  exists: boolean
  tenantId: string
  agent: string
  customerId: string | null
  archived: boolean
  messages: StoredMessage[]
}

const columns = `id, conversation_id as "conversationId", seq, role, text, turn_id as "turnId", created_at as "createdAt"`

/** Inserts every row in one statement (conversations created as needed), in the given order. */
export async function appendMany(sql: Sql, rows: AppendRow[]): Promise<AppendedRow[]> {
  const input = rows.map((r, ord) => ({ id: r.id, conversation_id: r.conversationId, role: r.role, text: r.text, turn_id: r.turnId ?? null, ord }))
  const conversations = [...new Map(rows.map((r) => [r.conversationId, {
    id: r.conversationId, tenant_id: r.conversation?.tenantId ?? 'default', channel: r.conversation?.channel ?? 'chat',
    agent: r.conversation?.agent ?? 'demo', customer_id: r.conversation?.customerId ?? null,
  }])).values()]
  const inserted = await sql<(StoredMessage & { fresh: boolean })[]>`
    with c as (insert into conversations (id, tenant_id, channel, agent, customer_id)
        select * from json_to_recordset(${JSON.stringify(conversations)}::text::json)
          as t(id text, tenant_id text, channel text, agent text, customer_id text)
        on conflict (id) do nothing returning id),
      m as (insert into messages (id, conversation_id, role, text, turn_id)
        select id, conversation_id, role, text, turn_id from json_to_recordset(${JSON.stringify(input)}::text::json)
          as t(id text, conversation_id text, role text, text text, turn_id text, ord int) order by ord
        on conflict (id) do nothing returning *)
    select ${sql.unsafe(columns)}, conversation_id in (select id from c) as fresh from m`
  const byId = new Map<string, AppendedRow>(inserted.map((m) => [m.id, { ...m, inserted: true }]))
  const missing = rows.filter((r) => !byId.has(r.id)).map((r) => r.id)
  for (const m of await byIds(sql, missing)) byId.set(m.id, { ...m, inserted: false, fresh: false })
  return rows.map((r) => byId.get(r.id) ?? missingRow(r.id))
}

function missingRow(id: string): never {
  throw new RetryableError('storage.unavailable', `message ${id} was neither inserted nor found`)
}

export async function byIds(sql: Sql, ids: string[]): Promise<StoredMessage[]> {
  if (ids.length === 0) return []
  return sql<StoredMessage[]>`select ${sql.unsafe(columns)} from messages where id = any(${ids}) order by seq`
}

/** The last `limit` messages oldest first, with the conversation's tenant, agent and whether it is archived. */
export async function warmWindow(sql: Sql, conversationId: string, limit: number): Promise<WarmWindow> {
  const rows = await sql<(Partial<StoredMessage> & Omit<WarmWindow, 'messages' | 'exists'>)[]>`
    select c.tenant_id as "tenantId", c.agent, c.customer_id as "customerId", c.archived_at is not null as archived, m.*
    from conversations c left join lateral (select ${sql.unsafe(columns)} from messages
      where conversation_id = c.id order by seq desc limit ${limit}) m on true
    where c.id = ${conversationId}`
  const head = rows[0]
  if (!head) return { exists: false, tenantId: 'default', agent: 'demo', customerId: null, archived: false, messages: [] }
  const messages = rows.filter((r) => r.id != null).map(({ id, conversationId, seq, role, text, turnId, createdAt }) =>
    ({ id, conversationId, seq, role, text, turnId, createdAt }) as StoredMessage)
  return { exists: true, tenantId: head.tenantId, agent: head.agent, customerId: head.customerId, archived: head.archived, messages: messages.reverse() }
}

export interface RelatedMessage extends StoredMessage {
  channel: string
}

/** The customer's messages in their other conversations since `since`, the latest `limit`, oldest first. */
export async function customerMessages(sql: Sql, customerId: string, since: Date, limit: number, excludeConversationId?: string): Promise<RelatedMessage[]> {
  const rows = await sql<RelatedMessage[]>`
    select m.id, m.conversation_id as "conversationId", m.seq, m.role, m.text, m.turn_id as "turnId",
      m.created_at as "createdAt", c.channel
    from conversations c join messages m on m.conversation_id = c.id
    where c.customer_id = ${customerId} and c.id <> ${excludeConversationId ?? ''} and m.created_at >= ${since}
    order by m.created_at desc, m.seq desc limit ${limit}`
  return rows.reverse()
}
