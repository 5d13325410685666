// Session tier options from the parsed config: the cold tier's blob store. Retention policies come from the
// versioned store (storage/retention: watchRetentionPolicies), where RETENTION_POLICIES files are applied.
import type { Config } from '../../lib/config.ts'
import type { BlobStore } from '../blobs/blob-store.ts'
import { createDirBlobStore } from '../blobs/dir-blob-store.ts'
import { createS3BlobStore } from '../blobs/s3-blob-store.ts'
import type { SessionTierOptions } from './session-tiers.ts'

/** Opens the configured blob store (creating a missing S3 bucket, as MinIO quick starts need). */
export async function sessionTiersFromConfig(config: Pick<Config, 'sessions' | 'blobs'>): Promise<SessionTierOptions> {
  const { sessions, blobs: b } = config
  const blobs = await openBlobStore(b)
  return {
    blobs,
    hotTtlMs: sessions.hotTtlMs,
    hotMaxMessages: sessions.hotMaxMessages,
    lookbackMs: sessions.lookbackMs,
  }
}

async function openBlobStore(b: Config['blobs']): Promise<BlobStore> {
  if (b.kind === 'dir') return createDirBlobStore(b.dir)
  const s3 = createS3BlobStore(b)
  await s3.ensureBucket()
  return s3
}
