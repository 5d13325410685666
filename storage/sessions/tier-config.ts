// Session tier options from the parsed config: the cold tier's blob store and the retention policy file.
import { readFile } from 'node:fs/promises'
import type { Config } from '../../lib/config.ts'
import { AppError } from '../../lib/errors.ts'
import type { BlobStore } from '../blobs/blob-store.ts'
import { createDirBlobStore } from '../blobs/dir-blob-store.ts'
import { createS3BlobStore } from '../blobs/s3-blob-store.ts'
import { parseRetentionPolicies } from '../retention/retention-policy.ts'
import type { SessionTierOptions } from './session-tiers.ts'

/**
 * Opens the configured blob store (creating a missing S3 bucket, as MinIO quick starts need) and reads the
 * retention policies. Throws `config.invalid` for an unreadable or invalid policy file.
 */
export async function sessionTiersFromConfig(config: Pick<Config, 'sessions' | 'blobs'>): Promise<SessionTierOptions> {
  const { sessions, blobs: b } = config
  const blobs = await openBlobStore(b)
  const path = sessions.retentionPolicies
  const text = path
    ? await readFile(path, 'utf8').catch((e: Error) => Promise.reject(new AppError('config.invalid', `RETENTION_POLICIES ${path}: ${e.message}`)))
    : ''
  return {
    blobs,
    hotTtlMs: sessions.hotTtlMs,
    hotMaxMessages: sessions.hotMaxMessages,
    lookbackMs: sessions.lookbackMs,
    retentionPolicies: parseRetentionPolicies(text, path),
  }
}

async function openBlobStore(b: Config['blobs']): Promise<BlobStore> {
  if (b.kind === 'dir') return createDirBlobStore(b.dir)
  const s3 = createS3BlobStore(b)
  await s3.ensureBucket()
  return s3
}
