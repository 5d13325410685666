// Reads a Parquet object back from a blob store with an independent reader (hyparquet), as rows of column values.
import { parquetReadObjects } from 'hyparquet'
import type { BlobStore } from '../../storage/index.ts'

export async function readParquet(store: BlobStore, key: string): Promise<Array<Record<string, unknown>>> {
  const bytes = await store.get(key)
  if (!bytes) throw new Error(`no object ${key}`)
  return parquetReadObjects({ file: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer })
}
