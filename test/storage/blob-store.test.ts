// The BlobStore contract, met alike by the S3 store (on a real S3-protocol server) and the directory store.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createDirBlobStore, type BlobStore } from '../../storage/index.ts'
import { startS3Server, type S3Server } from './s3-server.ts'

let s3: S3Server
const dir = mkdtempSync(join(tmpdir(), 'blobs-'))
const stores: Record<string, BlobStore> = {}

beforeAll(async () => {
  s3 = await startS3Server()
  stores.s3 = await s3.store('contract-bucket')
  stores.dir = createDirBlobStore(dir)
})
afterAll(async () => {
  await Promise.all(Object.values(stores).map((s) => s.close()))
  await s3.close()
  rmSync(dir, { recursive: true, force: true })
})

describe.each(['s3', 'dir'])('%s blob store', (name) => {
  const bytes = new TextEncoder().encode('{"hello":"world"}')
  test('put, get, overwrite, list and delete', async () => {
    const store = stores[name]!
    await store.put('conversations/t1/a.json.gz', bytes, { contentType: 'application/gzip' })
    await store.put('conversations/t1/b.json.gz', bytes)
    await store.put('conversations/t2/c.json.gz', bytes)
    expect(await store.get('conversations/t1/a.json.gz')).toEqual(bytes)
    await store.put('conversations/t1/a.json.gz', new Uint8Array([1, 2, 3]))
    expect(await store.get('conversations/t1/a.json.gz')).toEqual(new Uint8Array([1, 2, 3]))
    expect((await store.list('conversations/t1/')).sort()).toEqual(['conversations/t1/a.json.gz', 'conversations/t1/b.json.gz'])
    await store.delete('conversations/t1/a.json.gz')
    await store.delete('conversations/t1/a.json.gz')
    expect(await store.get('conversations/t1/a.json.gz')).toBeUndefined()
    expect(await store.list('conversations/t1/')).toEqual(['conversations/t1/b.json.gz'])
  })

  test('keys that could escape their prefix are refused', async () => {
    expect(stores[name]!.put('../x', bytes)).rejects.toThrow(/invalid blob key/)
    expect(stores[name]!.get('/abs')).rejects.toThrow(/invalid blob key/)
  })
})
