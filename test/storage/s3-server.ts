// A real S3-protocol server (s3rver) on loopback with a temporary directory, and an S3 blob store on it.
import S3rver from 's3rver'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createS3BlobStore, type S3BlobStore } from '../../storage/index.ts'

export interface S3Server {
  endpoint: string
  /** A new client on the bucket (a fresh process would open one like this). */
  store(bucket?: string): Promise<S3BlobStore>
  close(): Promise<void>
}

export async function startS3Server(): Promise<S3Server> {
  const directory = mkdtempSync(join(tmpdir(), 's3rver-'))
  const server = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory })
  const { port } = await server.run()
  const endpoint = `http://127.0.0.1:${port}`
  return {
    endpoint,
    async store(bucket = 'switchboard-test') {
      const store = createS3BlobStore({
        bucket, region: 'us-east-1', endpoint, forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
      })
      await store.ensureBucket()
      return store
    },
    async close() {
      await server.close()
      rmSync(directory, { recursive: true, force: true })
    },
  }
}
