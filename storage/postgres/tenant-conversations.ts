// Conversations as a tenant sees them: every query is scoped by tenant id, so a foreign id reads as absent.
// Channels create, list (newest first, keyset pagination), post customer messages, close and rate here.
import { createBatcher } from '../sessions/batcher.ts'
import type { Sql } from './client.ts'
import type { TxSql } from './idempotency.ts'
import type { Conversation, ConversationStatus, DoubleTexting } from './conversations.ts'

/** A conversation with what only the channels show: the caller's external id and the customer's rating. */
export interface TenantConversation extends Conversation {
  externalId: string | null
  csat: { rating: number; comment: string | null } | null
}

export interface NewTenantConversation {
  id: string
  tenantId: string
  channel: string
  agent: string
  customerId?: string
  externalId?: string
  doubleTexting?: DoubleTexting
  metadata?: Record<string, unknown>
  /** The agent's greeting: stored as the conversation's first message, from the agent. */
  greeting?: string
  /** The tenant's backend signed the customer's identity. */
  identityVerified?: boolean
}

/** The id of a conversation's greeting message. */
export const greetingId = (conversationId: string) => `${conversationId}.greeting`

export interface ConversationFilter {
  status?: ConversationStatus
  channel?: string
  agent?: string
  customerId?: string
  externalId?: string
  /** Keyset cursor: the position of the previous page's last row. */
  before?: ConversationPosition
  limit: number
}

/**
 * Where a conversation sits in the newest-first listing: its creation time exactly as stored (UTC ISO text with
 * microseconds; a JavaScript Date keeps milliseconds and would skip rows created in the same one) and its id.
 */
export interface ConversationPosition {
  at: string
  id: string
}

export type ListedConversation = TenantConversation & { position: ConversationPosition }

/** What reopening a closed conversation for a new message found. */
export type ReopenOutcome = 'reopened' | 'held' | 'erased' | 'open' | 'not_found'

/** What posting a customer message found. */
export type PostOutcome = 'inserted' | 'duplicate' | 'not_found' | 'closed'

const columns = (sql: TxSql) => sql`c.id, c.tenant_id as "tenantId", c.customer_id as "customerId", c.channel, c.agent,
  c.status, c.external_id as "externalId", c.double_texting as "doubleTexting", c.metadata, c.identity_verified as "identityVerified",
  case when r.rating is null then null else json_build_object('rating', r.rating, 'comment', r.comment) end as csat,
  c.created_at as "createdAt", c.updated_at as "updatedAt"`

interface MessagePost {
  tenantId: string
  id: string
  conversationId: string
  text: string
}

/**
 * One statement for many posts: each row is checked against its tenant and status, then inserted. The conversations
 * are locked (in id order, so two batches never deadlock) until the transaction ends: posts to one conversation take
 * their sequence numbers in the order they commit, so whoever sees a message sees every earlier one (the one order,
 * the transcript's, that the actor answers in).
 */
async function insertMessages(sql: TxSql, posts: MessagePost[]): Promise<PostOutcome[]> {
  const rows = await sql<{ ord: number; status: ConversationStatus | null; inserted: boolean }[]>`
    with input as (
      select * from unnest(${posts.map((p) => p.id)}::text[], ${posts.map((p) => p.conversationId)}::text[],
        ${posts.map((p) => p.tenantId)}::text[], ${posts.map((p) => p.text)}::text[]) with ordinality
        as i(id, conversation_id, tenant_id, text, ord)),
    locked as (select c.id, c.tenant_id, c.status from conversations c
      where c.id in (select conversation_id from input) order by c.id for no key update),
    target as (select i.*, c.status from input i
      left join locked c on c.id = i.conversation_id and c.tenant_id = i.tenant_id),
    m as (insert into messages (id, conversation_id, role, text)
      select id, conversation_id, 'customer', text from target where status is not null and status <> 'closed' order by ord
      on conflict (id) do nothing returning id)
    select t.ord::int as ord, t.status, exists (select 1 from m where m.id = t.id) as inserted from target t order by t.ord`
  return rows.map((r) => (!r.status ? 'not_found' : r.inserted ? 'inserted' : r.status === 'closed' ? 'closed' : 'duplicate'))
}

export function createTenantConversations(sql: Sql) {
  const batcher = createBatcher((posts: MessagePost[]) => insertMessages(sql, posts), 500)
  const get = async (tenantId: string, id: string, tx: TxSql = sql): Promise<TenantConversation | undefined> => {
    const [row] = await tx<TenantConversation[]>`select ${columns(tx)} from conversations c
      left join csat_ratings r on r.conversation_id = c.id where c.id = ${id} and c.tenant_id = ${tenantId}`
    return row
  }
  return {
    get,
    /** Creates the conversation unless its id exists for this tenant; returns the stored one. */
    async create(c: NewTenantConversation, tx: TxSql = sql): Promise<TenantConversation | undefined> {
      await tx`with c as (insert into conversations (id, tenant_id, customer_id, channel, agent, external_id, double_texting, metadata,
            identity_verified)
          values (${c.id}, ${c.tenantId}, ${c.customerId ?? null}, ${c.channel}, ${c.agent}, ${c.externalId ?? null},
            ${c.doubleTexting ?? 'queue'}, ${tx.json((c.metadata ?? {}) as never)}, ${c.identityVerified ?? false})
          on conflict do nothing returning id)
        insert into messages (id, conversation_id, role, text)
        select ${greetingId(c.id)}, id, 'assistant', ${c.greeting ?? ''} from c where ${c.greeting !== undefined}`
      return get(c.tenantId, c.id, tx)
    },
    async list(tenantId: string, f: ConversationFilter): Promise<ListedConversation[]> {
      // The position goes in and out as text: postgres.js would round a timestamptz parameter to milliseconds.
      const rows = await sql<(TenantConversation & { positionAt: string })[]>`select ${columns(sql)},
          to_char(c.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as "positionAt"
        from conversations c left join csat_ratings r on r.conversation_id = c.id
        where c.tenant_id = ${tenantId}
          ${f.status ? sql`and c.status = ${f.status}` : sql``}
          ${f.channel ? sql`and c.channel = ${f.channel}` : sql``}
          ${f.agent ? sql`and c.agent = ${f.agent}` : sql``}
          ${f.customerId ? sql`and c.customer_id = ${f.customerId}` : sql``}
          ${f.externalId ? sql`and c.external_id = ${f.externalId}` : sql``}
          ${f.before ? sql`and (c.created_at, c.id) < (${f.before.at}::text::timestamptz, ${f.before.id})` : sql``}
        order by c.created_at desc, c.id desc limit ${f.limit}`
      return rows.map(({ positionAt, ...c }) => ({ ...c, position: { at: positionAt, id: c.id } }))
    },
    /**
     * Stores a customer message in an open conversation of the tenant. Outside a transaction, concurrent posts
     * share one statement (and one commit), which is what lets one API process accept thousands a second.
     */
    async postMessage(tenantId: string, m: { id: string; conversationId: string; text: string }, tx?: TxSql): Promise<PostOutcome> {
      const post = { tenantId, ...m }
      const [outcome] = tx ? await insertMessages(tx, [post]) : await batcher.submit([post])
      return outcome!
    },
    /** Removes a customer message that could not be mailed, so no unanswerable message stays behind. */
    async retract(tenantId: string, conversationId: string, messageId: string): Promise<void> {
      await sql`delete from messages m using conversations c where m.id = ${messageId} and m.conversation_id = ${conversationId}
        and c.id = m.conversation_id and c.tenant_id = ${tenantId} and m.role = 'customer'`
    },
    /**
     * Marks the conversation closed and returns when it closed: a repeated close keeps the time (so a retry names the
     * same close), a close after a reopening takes a new one. Undefined when the tenant has no such conversation.
     */
    async close(tenantId: string, id: string): Promise<Date | undefined> {
      const [row] = await sql<{ closedAt: Date }[]>`update conversations set status = 'closed', updated_at = now(),
          closed_at = case when closed_at is null or reopened_at > closed_at then now() else closed_at end
        where id = ${id} and tenant_id = ${tenantId} returning closed_at as "closedAt"`
      return row?.closedAt
    },
    /**
     * Opens a closed conversation again for a customer message it does not hold yet. A message it holds already
     * (a redelivery) reopens nothing, nor does anything reopen a conversation whose customer is being erased.
     */
    async reopenFor(tenantId: string, id: string, messageId: string): Promise<ReopenOutcome> {
      const [row] = await sql<{ held: boolean; erased: boolean; reopened: boolean }[]>`
        with target as (select c.id, exists (select 1 from messages m where m.id = ${messageId}) as held,
            exists (select 1 from erased_conversations e where e.id = c.id) as erased
          from conversations c where c.id = ${id} and c.tenant_id = ${tenantId}),
        reopened as (update conversations c set status = 'open', reopened_at = now(), updated_at = now() from target t
          where c.id = t.id and c.status = 'closed' and not t.held and not t.erased returning c.id)
        select held, erased, exists (select 1 from reopened) as reopened from target`
      if (!row) return 'not_found'
      return row.erased ? 'erased' : row.held ? 'held' : row.reopened ? 'reopened' : 'open'
    },
    /** Records (or replaces) the rating; false when the tenant has no such conversation. */
    async rate(tenantId: string, id: string, rating: number, comment?: string): Promise<boolean> {
      const rows = await sql`insert into csat_ratings (conversation_id, tenant_id, rating, comment)
        select id, tenant_id, ${rating}, ${comment ?? null} from conversations where id = ${id} and tenant_id = ${tenantId}
        on conflict (conversation_id) do update set rating = excluded.rating, comment = excluded.comment, created_at = now()
        returning conversation_id`
      return rows.length === 1
    },
  }
}
export type TenantConversations = ReturnType<typeof createTenantConversations>
