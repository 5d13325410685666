// Deletion of whole conversations from every tier: hot sets, reply streams, cold objects and warm rows.
// Shared by erasure and retention; idempotent, with warm rows last so a rerun still finds what is left.
import type Redis from 'ioredis'
import { archiveKey } from '../archive/archiver.ts'
import { purgeRows } from '../archive/archive-sql.ts'
import type { BlobStore } from '../blobs/blob-store.ts'
import type { Sql } from '../postgres/client.ts'
import type { HotSessions } from '../redis/hot-sessions.ts'

export interface PurgeDeps {
  sql: Sql
  redis: Redis
  blobs: BlobStore
  hot: Pick<HotSessions, 'evict'>
  /** The reply stream key of a conversation (its events hold reply texts). */
  streamKey: (conversationId: string) => string
}

export interface PurgeCounts {
  conversations: number
  hotSessions: number
  replyStreams: number
  coldObjects: number
  /** Warm rows deleted per table. */
  warmRows: Record<string, number>
}

export function createPurger(deps: PurgeDeps) {
  return async function purge(conversationIds: string[]): Promise<PurgeCounts> {
    const ids = [...new Set(conversationIds)]
    if (ids.length === 0) return { conversations: 0, hotSessions: 0, replyStreams: 0, coldObjects: 0, warmRows: {} }
    const rows = await deps.sql<{ id: string; tenantId: string }[]>`select id, tenant_id as "tenantId" from conversations where id = any(${ids})`
    const hotSessions = await deps.hot.evict(ids)
    const replyStreams = await deps.redis.unlink(...ids.map(deps.streamKey))
    // Deterministic keys: an object is found (and removed) even if its manifest row was already gone.
    await Promise.all(rows.map((r) => deps.blobs.delete(archiveKey(r.tenantId, r.id))))
    const { cold = 0, conversations = 0, ...warmRows } = await purgeRows(deps.sql, ids)
    return { conversations, hotSessions, replyStreams, coldObjects: cold, warmRows }
  }
}
export type Purger = ReturnType<typeof createPurger>
