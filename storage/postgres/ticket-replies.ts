// Replies back into tickets: a tenant's connection to its ticket system (the secret is written, never read back
// out of storage except by the sender), and the outbox of replies to post as comments, with each attempt's state.
import type { Sql } from './client.ts'

export type TicketSystem = 'zendesk' | 'freshdesk'
export const TICKET_SYSTEMS: readonly TicketSystem[] = ['zendesk', 'freshdesk']

/** A connection as it may be shown: never its secret. */
export interface TicketConnection {
  source: TicketSystem
  baseUrl: string
  username: string | null
  createdAt: Date
  updatedAt: Date
}

export type TicketReplyStatus = 'pending' | 'posted' | 'dead'

export interface TicketReply {
  messageId: string
  conversationId: string
  source: TicketSystem
  ticketId: string
  status: TicketReplyStatus
  attempts: number
  remoteId: string | null
  lastStatusCode: number | null
  lastError: string | null
  createdAt: Date
  updatedAt: Date
}

/**
 * A reply claimed for posting (`attempts` counts this one), with what posting needs: the text, null when the message
 * is gone, and the connection's address and credentials, null when the tenant removed the connection.
 */
export interface DueTicketReply {
  messageId: string
  source: TicketSystem
  ticketId: string
  attempts: number
  text: string | null
  baseUrl: string | null
  username: string | null
  secret: string | null
}

export type ReplyAttempt =
  | { ok: true; remoteId: string | null }
  | { ok: false; statusCode?: number; error: string; retryAt?: Date }

const connectionColumns = (sql: Sql) => sql`source, base_url as "baseUrl", username, created_at as "createdAt", updated_at as "updatedAt"`
const replyColumns = (sql: Sql) => sql`message_id as "messageId", conversation_id as "conversationId", source, ticket_id as "ticketId",
  status, attempts, remote_id as "remoteId", last_status_code as "lastStatusCode", last_error as "lastError",
  created_at as "createdAt", updated_at as "updatedAt"`

export function createTicketReplies(sql: Sql) {
  return {
    /** Creates or replaces the tenant's connection to one ticket system. */
    async connect(tenantId: string, source: TicketSystem, c: { baseUrl: string; username?: string; secret: string }): Promise<TicketConnection> {
      const [row] = await sql<TicketConnection[]>`insert into ticket_connections (tenant_id, source, base_url, username, secret)
        values (${tenantId}, ${source}, ${c.baseUrl}, ${c.username ?? null}, ${c.secret})
        on conflict (tenant_id, source) do update set base_url = excluded.base_url, username = excluded.username,
          secret = excluded.secret, updated_at = now()
        returning ${connectionColumns(sql)}`
      return row!
    },
    async connections(tenantId: string): Promise<TicketConnection[]> {
      return sql<TicketConnection[]>`select ${connectionColumns(sql)} from ticket_connections where tenant_id = ${tenantId} order by source`
    },
    /** Removes the connection; replies still waiting for it are dead-lettered when their turn comes. */
    async disconnect(tenantId: string, source: TicketSystem): Promise<boolean> {
      return (await sql`delete from ticket_connections where tenant_id = ${tenantId} and source = ${source} returning 1`).length === 1
    },
    /**
     * Claims up to `limit` due replies, the oldest waiting one of each conversation only (a ticket's comments go in
     * order), and holds each for `leaseMs`: a sender that dies mid-post leaves it due again after that.
     */
    async claimDue(limit: number, leaseMs: number): Promise<DueTicketReply[]> {
      return sql<DueTicketReply[]>`with due as (select r.message_id from ticket_replies r
          where r.status = 'pending' and r.next_attempt_at <= now() and not exists (select 1 from ticket_replies o
            where o.conversation_id = r.conversation_id and o.status = 'pending' and o.seq < r.seq)
          order by r.next_attempt_at limit ${limit} for update skip locked),
        claimed as (update ticket_replies r set attempts = r.attempts + 1, updated_at = now(),
            next_attempt_at = now() + ${leaseMs}::int * interval '1 millisecond'
          from due where r.message_id = due.message_id returning r.*)
        select c.message_id as "messageId", c.source, c.ticket_id as "ticketId", c.attempts, m.text,
          k.base_url as "baseUrl", k.username, k.secret
        from claimed c left join messages m on m.id = c.message_id
          left join ticket_connections k on k.tenant_id = c.tenant_id and k.source = c.source`
    },
    /** Records an attempt: posted, due again at `retryAt`, or dead (a failure with no `retryAt`). */
    async record(messageId: string, a: ReplyAttempt): Promise<void> {
      if (a.ok) {
        await sql`update ticket_replies set status = 'posted', remote_id = ${a.remoteId}, last_error = null, updated_at = now()
          where message_id = ${messageId} and status = 'pending'`
        return
      }
      await sql`update ticket_replies set status = ${a.retryAt ? 'pending' : 'dead'}, next_attempt_at = coalesce(${a.retryAt ?? null}, next_attempt_at),
        last_status_code = ${a.statusCode ?? null}, last_error = ${a.error.slice(0, 500)}, updated_at = now()
        where message_id = ${messageId} and status = 'pending'`
    },
    /**
     * True when a ticket comment is one of our own replies coming back by webhook: its id is one the ticket system
     * gave a reply we posted, or, when `text` is given (for a source that names neither a comment nor its author),
     * its text is that of a reply posted to this ticket in the last hour. Taken for a customer's words, it would
     * start a loop of answers to ourselves.
     */
    async isOwnComment(conversationId: string, comment: { id: string; text?: string }): Promise<boolean> {
      const rows = await sql`select 1 from ticket_replies r join messages m on m.id = r.message_id
        where r.conversation_id = ${conversationId} and r.status = 'posted' and (r.remote_id = ${comment.id}
          or (${comment.text ?? null}::text is not null and m.text = ${comment.text ?? null} and r.updated_at > now() - interval '1 hour'))
        limit 1`
      return rows.length > 0
    },
    async list(tenantId: string, f: { status?: TicketReplyStatus; limit: number }): Promise<TicketReply[]> {
      return sql<TicketReply[]>`select ${replyColumns(sql)} from ticket_replies where tenant_id = ${tenantId}
        ${f.status ? sql`and status = ${f.status}` : sql``} order by created_at desc limit ${f.limit}`
    },
    /** Sends a dead reply round again (after its connection was fixed); false unless the tenant has it dead. */
    async retry(tenantId: string, messageId: string): Promise<boolean> {
      const rows = await sql`update ticket_replies set status = 'pending', attempts = 0, next_attempt_at = now(), updated_at = now()
        where tenant_id = ${tenantId} and message_id = ${messageId} and status = 'dead' returning 1`
      return rows.length === 1
    },
  }
}
export type TicketReplies = ReturnType<typeof createTicketReplies>
