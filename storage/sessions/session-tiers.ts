// Composition of the session tiers (issue 4): hot sessions, archiver, customers, retention, erasure and export
// over one Postgres pool, one Redis client and one blob store.
import type Redis from 'ioredis'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createArchiver, type ArchiveStep } from '../archive/archiver.ts'
import type { BlobStore } from '../blobs/blob-store.ts'
import { createDirBlobStore } from '../blobs/dir-blob-store.ts'
import type { Sql } from '../postgres/client.ts'
import { createCustomers } from '../postgres/customers.ts'
import { createIdempotency } from '../postgres/idempotency.ts'
import { createCustomerExport } from '../privacy/dsar-export.ts'
import { createErasure } from '../privacy/erasure.ts'
import { createPurger } from '../privacy/purge.ts'
import { createHotSessions } from '../redis/hot-sessions.ts'
import { createRetentionJob } from '../retention/retention-job.ts'
import { createRetentionResolver, type RetentionPolicy } from '../retention/retention-policy.ts'
import { createSessions } from './sessions.ts'

export interface SessionTierOptions {
  /** The cold tier. @defaultValue a directory under the OS temp dir, named after the prefix (tests, tools) */
  blobs?: BlobStore
  /** Hot TTL where no retention policy matches. @defaultValue 3_600_000 */
  hotTtlMs?: number
  /** Messages per hot set: at least the conversation actor's context, or activations read warm. @defaultValue 60 */
  hotMaxMessages?: number
  /** Cross-channel look-back of a new conversation. @defaultValue 30 days */
  lookbackMs?: number
  /** Archived conversations that look-back reads from cold, most recent first (each is one blob read). @defaultValue 3 */
  relatedArchives?: number
  /** @defaultValue [] (nothing expires) */
  retentionPolicies?: RetentionPolicy[]
  /** Test seam: runs after each archiving step (throw to simulate a crash there). */
  onArchiveStep?: (step: ArchiveStep, conversationId: string) => void | Promise<void>
}

export function createSessionTiers(sql: Sql, redis: Redis, prefix: string, streamKey: (conversationId: string) => string, options: SessionTierOptions = {}) {
  const blobs = options.blobs ?? createDirBlobStore(join(tmpdir(), 'switchboard-blobs', prefix))
  const resolver = createRetentionResolver(options.retentionPolicies ?? [], options.hotTtlMs ?? 3_600_000)
  const hot = createHotSessions(redis, { prefix, maxMessages: options.hotMaxMessages ?? 60 })
  const archiver = createArchiver({ sql, blobs, hot, onStep: options.onArchiveStep })
  const customers = createCustomers(sql)
  const purge = createPurger({ sql, redis, blobs, hot, streamKey })
  return {
    blobs,
    retentionResolver: resolver,
    sessions: createSessions({
      sql, hot, archiver, lookbackMs: options.lookbackMs ?? 30 * 86_400_000, relatedArchives: options.relatedArchives ?? 3,
      hotTtlMs: (tenantId, agent) => resolver.resolve(tenantId, agent).hotTtlMs,
    }),
    archiver,
    customers,
    retention: createRetentionJob({ sql, hot, archiver, purge, resolver, idempotency: createIdempotency(sql) }),
    eraseCustomer: createErasure({ sql, purge }),
    exportCustomer: createCustomerExport({ sql, customers, archiver }),
  }
}
export type SessionTiers = ReturnType<typeof createSessionTiers>
