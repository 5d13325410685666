// Which turn steps settle a customer message (nothing more is owed to it), and how far back a turn looks for
// earlier messages still owed a reply. Shared by the turn checkpoints and the message queries.
import type { Sql } from './client.ts'

/** The step that marks a customer message as answered by an earlier turn (double texting, merge policy). */
export const MERGED_STEP = 'merged'
/** The step that marks a customer message as passed to the humans in charge (no reply of the agent's is owed). */
export const PASSED_STEP = 'passed'
/** Steps after which a customer message is owed nothing more: answered, merged into another turn, or passed on. */
export const SETTLED_STEPS = ['reply', MERGED_STEP, PASSED_STEP] as const
/**
 * How far back a turn looks for earlier customer messages still owed a reply (mail that went missing or arrived out of
 * order): its conversation's last customer messages before it, written within a day.
 */
export const EARLIER_LOOKBACK = { messages: 20, ms: 24 * 3600_000 } as const

/**
 * The conversation's last customer messages before `beforeSeq` (a scalar subquery), those of them within
 * EARLIER_LOOKBACK, as rows of id, conversation_id, seq, text and created_at. Only the conversation's own index may
 * serve it, whatever the statistics say: the role is tested as an expression (`role || ''`), so the index of every
 * customer message by time (233_systemic_alerts, partial on the role) cannot stand in for the role test. Without
 * fresh statistics a generic plan chose that index, read the day's customer messages of every conversation on each
 * turn (6,000 of them took 0.18 ms of the turn's 0.7 ms first statement) and grew with the traffic. The age test
 * stays outside the limited subquery for the same reason; seq and created_at grow together, so the rows are the same.
 */
export function earlierCustomerMessages(sql: Sql, conversationId: string, beforeSeq: ReturnType<Sql>): ReturnType<Sql> {
  return sql`select * from (select id, conversation_id, seq, text, created_at from messages
      where conversation_id = ${conversationId} and role || '' = 'customer' and seq < ${beforeSeq}
      order by seq desc limit ${EARLIER_LOOKBACK.messages}) recent
    where recent.created_at > now() - interval '1 millisecond' * ${EARLIER_LOOKBACK.ms}::float8`
}
