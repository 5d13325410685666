// The object-store contract of the cold tier, met by S3 (any S3-API service) and by a local directory.
// Keys are '/'-separated paths; every operation is idempotent, so a crashed job can simply run again.
import { createHash } from 'node:crypto'

export interface BlobStore {
  /** Writes (or overwrites) the object. */
  put(key: string, body: Uint8Array, options?: { contentType?: string; sha256?: string }): Promise<void>
  /** The object's bytes, or undefined when there is no such object. */
  get(key: string): Promise<Uint8Array | undefined>
  /** Removes the object; removing a missing object is not an error. */
  delete(key: string): Promise<void>
  /** Keys under `prefix`, in no particular order. */
  list(prefix: string): Promise<string[]>
  close(): Promise<void>
}

export const sha256Hex = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex')

/** Rejects keys that could escape a directory store or confuse an S3 listing. */
export function assertBlobKey(key: string): void {
  if (key.length === 0 || key.startsWith('/') || key.split('/').some((part) => part === '' || part === '.' || part === '..')) {
    throw new Error(`invalid blob key: ${JSON.stringify(key)}`)
  }
}
