// A BlobStore over the S3 API (AWS S3, GCS interoperability, MinIO, Ceph): the only importer of the S3 client.
// The endpoint, region, path style and credentials all come from config, so any S3-compatible service works.
// The client is loaded when a store is made, not when storage/ is imported: most processes never make one, and its
// SDK would stay in their heaps for good (lib/on-first-call.ts says why that matters).
import { RetryableError } from '../../lib/errors.ts'
import { assertBlobKey, type BlobStore } from './blob-store.ts'

export interface S3BlobStoreOptions {
  bucket: string
  region: string
  /** A custom endpoint (MinIO, Ceph, GCS interoperability); unset for AWS. */
  endpoint?: string
  /** Path-style URLs (`endpoint/bucket/key`), which most self-hosted services need. @defaultValue false */
  forcePathStyle?: boolean
  /** Static credentials; when unset the SDK's default chain (env, profile, IAM role) applies. */
  credentials?: { accessKeyId: string; secretAccessKey: string }
}

const status = (e: unknown) => (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode

function unavailable(op: string, key: string, e: unknown): RetryableError {
  return new RetryableError('storage.unavailable', `S3 ${op} ${key} failed: ${(e as Error).message}`, undefined, { cause: e })
}

export interface S3BlobStore extends BlobStore {
  /** Creates the bucket when it does not exist (quick start, tests); production buckets are provisioned. */
  ensureBucket(): Promise<void>
}

export function createS3BlobStore(options: S3BlobStoreOptions): S3BlobStore {
  const {
    CreateBucketCommand, DeleteObjectCommand, GetObjectCommand, HeadBucketCommand, ListObjectsV2Command, PutObjectCommand, S3Client,
  } = require('@aws-sdk/client-s3') as typeof import('@aws-sdk/client-s3')
  const { bucket } = options
  const client = new S3Client({
    region: options.region, endpoint: options.endpoint, forcePathStyle: options.forcePathStyle ?? false, credentials: options.credentials,
  })
  const send = async <T>(op: string, key: string, run: () => Promise<T>): Promise<T> => run().catch((e) => Promise.reject(unavailable(op, key, e)))
  return {
    async ensureBucket() {
      const found = await client.send(new HeadBucketCommand({ Bucket: bucket })).then(() => true, (e) => (status(e) === 404 ? false : Promise.reject(unavailable('head', bucket, e))))
      if (!found) await send('create', bucket, () => client.send(new CreateBucketCommand({ Bucket: bucket })))
    },
    async put(key, body, put = {}) {
      assertBlobKey(key)
      const Metadata = put.sha256 ? { sha256: put.sha256 } : undefined
      await send('put', key, () => client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: put.contentType, Metadata })))
    },
    async get(key) {
      assertBlobKey(key)
      const res = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }))
        .catch((e) => (status(e) === 404 ? undefined : Promise.reject(unavailable('get', key, e))))
      return res?.Body ? res.Body.transformToByteArray() : undefined
    },
    async delete(key) {
      assertBlobKey(key)
      await send('delete', key, () => client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key })))
    },
    async list(prefix) {
      const keys: string[] = []
      let token: string | undefined
      do {
        const page = await send('list', prefix, () => client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token })))
        keys.push(...(page.Contents ?? []).flatMap((o) => (o.Key ? [o.Key] : [])))
        token = page.IsTruncated ? page.NextContinuationToken : undefined
      } while (token)
      return keys
    },
    close: async () => client.destroy(),
  }
}
