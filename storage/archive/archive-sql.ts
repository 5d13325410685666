// The SQL of moving one conversation between warm and cold: collect its rows as one JSON document, delete
// exactly the rows that document holds, and put them back. Every table with per-conversation rows is listed here.
import type { Sql } from '../postgres/client.ts'
import type { StoredMessage } from '../postgres/messages.ts'

interface ArchivedTable {
  name: string
  /** Rows of the conversations in $1 (a text[]). */
  scope: string
  /** Primary key columns: rows are deleted by the keys the document holds, never by scope. */
  key: string
  /** Order of the rows in the document. */
  order: string
}

// Restore order (parents first); deletion runs in reverse. turn_steps has no conversation column: its turns are
// the conversation's customer message ids.
const TABLES: ArchivedTable[] = [
  { name: 'messages', scope: 'conversation_id = any($1)', key: 'id', order: 'seq' },
  { name: 'turn_steps', scope: 'turn_id in (select id from messages where conversation_id = any($1))', key: 'turn_id, step', order: 'created_at, turn_id, step' },
  { name: 'provider_calls', scope: 'conversation_id = any($1)', key: 'id', order: 'created_at, id' },
  // A WRITE tool call's arguments and result (an address, an order): the customer's data like their messages.
  { name: 'tool_calls', scope: 'conversation_id = any($1)', key: 'idempotency_key', order: 'created_at, idempotency_key' },
  { name: 'escalations', scope: 'conversation_id = any($1)', key: 'id', order: 'created_at, id' },
  { name: 'reply_drafts', scope: 'conversation_id = any($1)', key: 'id', order: 'created_at, id' },
]
const ARCHIVE_FORMAT = 'switchboard.conversation/v1'

export interface Collected {
  /** The document, as Postgres rendered it (exact timestamps and numerics). */
  doc: string
  tenantId: string
  customerId: string | null
  messageCount: number
  maxSeq: number | null
  lastActivityAt: Date | null
}

const tableJson = TABLES.map((t) =>
  `'${t.name}', (select coalesce(json_agg(x order by ${t.order}), '[]') from ${t.name} x where ${t.scope})`).join(',\n')

const COLLECT = `select json_build_object('format', '${ARCHIVE_FORMAT}', 'archivedAt', now(), 'conversation', to_json(c),
    'tables', json_build_object(${tableJson}))::text as doc,
  c.tenant_id as "tenantId", c.customer_id as "customerId",
  (select count(*) from messages where conversation_id = c.id)::int as "messageCount",
  (select max(seq) from messages where conversation_id = c.id) as "maxSeq",
  (select max(created_at) from messages where conversation_id = c.id) as "lastActivityAt"
from conversations c where c.id = any($1)`

/** Every archived row of the conversation as one document; undefined when the conversation does not exist. */
export async function collect(sql: Sql, conversationId: string): Promise<Collected | undefined> {
  const [row] = await sql.unsafe<Collected[]>(COLLECT, [[conversationId]])
  return row
}

// Per-conversation rows that stay warm when a conversation is archived but must go when it is purged
// (webhook payloads carry reply texts). csat_ratings goes by its foreign key's cascade.
const PURGED_ONLY: Pick<ArchivedTable, 'name' | 'scope'>[] = [
  { name: 'webhook_deliveries', scope: 'conversation_id = any($1)' },
  // Kept while archived: a row is what keeps an old reply from being posted to its ticket again.
  { name: 'ticket_replies', scope: 'conversation_id = any($1)' },
]
const PURGED = [...PURGED_ONLY, ...[...TABLES].reverse()]

const PURGE = `with ${PURGED.map((t) => `del_${t.name} as (delete from ${t.name} where ${t.scope} returning 1)`).join(',\n')},
  del_cold as (delete from cold_objects where conversation_id = any($1) returning 1),
  del_conversations as (delete from conversations where id = any($1) returning 1)
select ${[...PURGED.map((t) => t.name), 'cold', 'conversations'].map((n) => `(select count(*) from del_${n})::int as "${n}"`).join(', ')}`

/** Deletes the conversations and every warm row of theirs in one statement; returns the rows deleted per table. */
export async function purgeRows(sql: Sql, conversationIds: string[]): Promise<Record<string, number>> {
  const [counts] = await sql.unsafe<Record<string, number>[]>(PURGE, [conversationIds])
  return { ...counts }
}

const rowsOf = (table: string) => `json_populate_recordset(null::${table}, (select doc -> 'tables' -> '${table}' from d))`
const DELETE_ROWS = `with d as (select $1::text::json as doc)${[...TABLES].reverse().map((t) =>
  `, del_${t.name} as (delete from ${t.name} where (${t.key}) in (select ${t.key} from ${rowsOf(t.name)}))`).join('')}
update conversations set archived_at = now(), restored_at = null where id = $2`

export interface Manifest {
  conversationId: string
  tenantId: string
  customerId: string | null
  objectKey: string
  sha256: string
  bytes: number
  messageCount: number
  lastActivityAt: Date | null
}

/**
 * Records the manifest and deletes the warm rows the document holds, atomically. Returns false (and changes
 * nothing) when messages arrived since `collected` was taken: the conversation is active again.
 */
export async function commitArchive(sql: Sql, doc: string, collected: Collected, m: Manifest): Promise<boolean> {
  return sql.begin(async (tx) => {
    // FOR UPDATE conflicts with the KEY SHARE lock a message insert takes on its conversation: no append slips in.
    const [now] = await tx<{ n: number; maxSeq: number | null }[]>`select
      (select count(*) from messages where conversation_id = ${m.conversationId})::int as n,
      (select max(seq) from messages where conversation_id = ${m.conversationId}) as "maxSeq"
      from conversations where id = ${m.conversationId} for update`
    if (!now || now.n !== collected.messageCount || now.maxSeq !== collected.maxSeq) return false
    await tx`insert into cold_objects (conversation_id, tenant_id, customer_id, object_key, sha256, bytes, message_count, last_activity_at)
      values (${m.conversationId}, ${m.tenantId}, ${m.customerId}, ${m.objectKey}, ${m.sha256}, ${m.bytes}, ${m.messageCount}, ${m.lastActivityAt})
      on conflict (conversation_id) do update set object_key = excluded.object_key, sha256 = excluded.sha256, bytes = excluded.bytes,
        message_count = excluded.message_count, last_activity_at = excluded.last_activity_at, archived_at = now()`
    await tx.unsafe(DELETE_ROWS, [doc, m.conversationId])
    return true
  })
}

const RESTORE = `with g as (delete from cold_objects where conversation_id = $2 and sha256 = $3 returning 1),
  d as (select $1::text::json as doc)${TABLES.map((t) => `,
  ins_${t.name} as (insert into ${t.name} overriding system value select * from ${rowsOf(t.name)}
    where exists (select 1 from g) on conflict do nothing)`).join('')}
update conversations set archived_at = null, restored_at = now() where id = $2 and exists (select 1 from g) returning id`

/**
 * Puts the document's rows back (keeping their ids and seqs) and drops the manifest; false if another restore won.
 * Marked as a restore, so the messages it puts back are not taken for new replies to post to a ticket.
 */
export async function restoreRows(sql: Sql, conversationId: string, doc: string, sha256: string): Promise<boolean> {
  return sql.begin(async (tx) => {
    await tx`select set_config('switchboard.restoring', 'on', true)`
    return (await tx.unsafe(RESTORE, [doc, conversationId, sha256])).length === 1
  })
}

export async function manifestOf(sql: Sql, conversationId: string): Promise<Manifest | undefined> {
  const [row] = await sql<Manifest[]>`select conversation_id as "conversationId", tenant_id as "tenantId", customer_id as "customerId",
    object_key as "objectKey", sha256, bytes, message_count as "messageCount", last_activity_at as "lastActivityAt"
    from cold_objects where conversation_id = ${conversationId}`
  return row
}

/** The customer's (current owner's) archived conversations last active since `since`, most recent first. */
export async function recentArchives(sql: Sql, customerId: string, since: Date, limit: number, excludeConversationId?: string): Promise<{ conversationId: string; channel: string }[]> {
  return sql<{ conversationId: string; channel: string }[]>`select o.conversation_id as "conversationId", c.channel
    from cold_objects o join conversations c on c.id = o.conversation_id
    where c.customer_id = ${customerId} and c.id <> ${excludeConversationId ?? ''} and o.last_activity_at >= ${since}
    order by o.last_activity_at desc limit ${limit}`
}

interface MessageRow { id: string; conversation_id: string; seq: number; role: StoredMessage['role']; text: string; turn_id: string | null; created_at: string }

/** The messages of a collected document, shaped as the warm tier returns them. */
export function messagesOf(doc: string): StoredMessage[] {
  const rows = (JSON.parse(doc) as { tables: { messages: MessageRow[] } }).tables.messages
  return rows.map((r) => ({ id: r.id, conversationId: r.conversation_id, seq: r.seq, role: r.role, text: r.text, turnId: r.turn_id, createdAt: new Date(r.created_at) }))
}
