// The retention job's queries: pages of conversations whose warm or cold span may have ended.
import type { Sql } from '../postgres/client.ts'

export interface RetentionCandidate {
  id: string
  tenantId: string
  agent: string
  /** Last activity (warm) or archiving time (cold): what the policy's span is measured from. */
  since: Date
}

/** Warm conversations with no activity (message, restore or creation) since `before`, by id after `afterId`. */
export async function inactiveWarm(sql: Sql, before: Date, afterId: string, limit: number): Promise<RetentionCandidate[]> {
  return sql<RetentionCandidate[]>`select c.id, c.tenant_id as "tenantId", c.agent,
      greatest(m.created_at, c.restored_at, c.created_at) as since
    from conversations c left join lateral (select created_at from messages where conversation_id = c.id order by seq desc limit 1) m on true
    where c.archived_at is null and c.created_at < ${before} and c.id > ${afterId}
      and greatest(m.created_at, c.restored_at, c.created_at) < ${before}
    order by c.id limit ${limit}`
}

/** Archived conversations archived before `before`, by id after `afterId`. */
export async function archivedBefore(sql: Sql, before: Date, afterId: string, limit: number): Promise<RetentionCandidate[]> {
  return sql<RetentionCandidate[]>`select o.conversation_id as id, c.tenant_id as "tenantId", c.agent, o.archived_at as since
    from cold_objects o join conversations c on c.id = o.conversation_id
    where o.archived_at < ${before} and o.conversation_id > ${afterId}
    order by o.conversation_id limit ${limit}`
}
