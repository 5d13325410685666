// The archiver: moves a conversation's warm rows into one gzip JSON object in the blob store, and back.
// Crash-safe by order: write, read back and verify, then delete warm rows in one transaction; a rerun finishes.
import { gunzipSync, gzipSync } from 'node:zlib'
import { RetryableError } from '../../lib/errors.ts'
import { sha256Hex, type BlobStore } from '../blobs/blob-store.ts'
import type { Sql } from '../postgres/client.ts'
import type { RelatedMessage } from '../postgres/session-messages.ts'
import type { HotSessions } from '../redis/hot-sessions.ts'
import { collect, commitArchive, manifestOf, messagesOf, recentArchives, restoreRows, type Manifest } from './archive-sql.ts'

/** Steps of archiving one conversation, in order; `onStep` runs after each (tests inject crashes there). */
export type ArchiveStep = 'collected' | 'written' | 'verified' | 'committed'
export type ArchiveOutcome = 'archived' | 'missing' | 'changed'

export interface ArchiverDeps {
  sql: Sql
  blobs: BlobStore
  hot: Pick<HotSessions, 'evict'>
  onStep?: (step: ArchiveStep, conversationId: string) => void | Promise<void>
}

/** Where a conversation's archive lives: deterministic, so reruns overwrite and erasure finds it without an index. */
export const archiveKey = (tenantId: string, conversationId: string) =>
  `conversations/${encodeURIComponent(tenantId)}/${encodeURIComponent(conversationId)}.json.gz`

const corrupt = (key: string) => new RetryableError('storage.corrupt', `archive ${key} does not match its checksum`)

export function createArchiver(deps: ArchiverDeps) {
  const { sql, blobs } = deps
  const step = async (s: ArchiveStep, id: string) => deps.onStep?.(s, id)

  /** The archived document's text, verified against the manifest; undefined when not archived. */
  async function readDoc(conversationId: string): Promise<{ doc: string; manifest: Manifest } | undefined> {
    const manifest = await manifestOf(sql, conversationId)
    if (!manifest) return undefined
    const bytes = await blobs.get(manifest.objectKey)
    if (!bytes || sha256Hex(bytes) !== manifest.sha256) throw corrupt(manifest.objectKey)
    return { doc: gunzipSync(bytes).toString('utf8'), manifest }
  }

  /** Brings an archived conversation back to warm (same ids and seqs); false when it was not archived. */
  async function restore(conversationId: string): Promise<boolean> {
    const found = await readDoc(conversationId)
    if (!found) return false
    const restored = await restoreRows(sql, conversationId, found.doc, found.manifest.sha256)
    // After the commit: a crash here leaves an orphan object at a deterministic key, overwritten by the next archive.
    if (restored) await blobs.delete(found.manifest.objectKey)
    return restored
  }

  /** Archives one conversation. A conversation already archived that gained warm rows is merged first. */
  async function archive(conversationId: string): Promise<ArchiveOutcome> {
    await restore(conversationId)
    const collected = await collect(sql, conversationId)
    if (!collected) return 'missing'
    await step('collected', conversationId)
    const body = gzipSync(collected.doc)
    const sha256 = sha256Hex(body)
    const objectKey = archiveKey(collected.tenantId, conversationId)
    await blobs.put(objectKey, body, { contentType: 'application/gzip', sha256 })
    await step('written', conversationId)
    const back = await blobs.get(objectKey)
    if (!back || sha256Hex(back) !== sha256) throw corrupt(objectKey)
    await step('verified', conversationId)
    // Evicted before the commit too, so that a crash right after the commit leaves no hot copy behind.
    await deps.hot.evict([conversationId])
    const { tenantId, customerId, messageCount, lastActivityAt } = collected
    const manifest: Manifest = { conversationId, tenantId, customerId, objectKey, sha256, bytes: body.length, messageCount, lastActivityAt }
    if (!(await commitArchive(sql, collected.doc, collected, manifest))) return 'changed'
    await step('committed', conversationId)
    // A load between the two evictions re-warmed hot from rows now deleted; hot is a cache of them, so it goes.
    await deps.hot.evict([conversationId])
    return 'archived'
  }

  /**
   * The customer's messages since `since` in their `conversations` most recently active archives, read in place:
   * offering old context must not re-warm (and so un-archive) every conversation it comes from.
   */
  async function customerMessages(customerId: string, since: Date, options: { conversations: number; excludeConversationId?: string }): Promise<RelatedMessage[]> {
    const archives = await recentArchives(sql, customerId, since, options.conversations, options.excludeConversationId)
    const read = await Promise.all(archives.map(async ({ conversationId, channel }) => ({ channel, found: await readDoc(conversationId) })))
    return read.flatMap(({ channel, found }) => (found ? messagesOf(found.doc) : [])
      .filter((m) => m.createdAt >= since).map((m) => ({ ...m, channel })))
  }

  return { archive, restore, readDoc, customerMessages }
}
export type Archiver = ReturnType<typeof createArchiver>
