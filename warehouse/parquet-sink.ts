// Parquet files on S3 (any S3-protocol store), for warehouses that load them natively (BigQuery external tables or
// loads, Snowflake stages and Snowpipe). One object per batch, stream, tenant and day:
// `<prefix>/<stream>/tenant=<id>/day=<YYYY-MM-DD>/<batch>.parquet` (Hive-style partitions). A batch re-sent after a
// crash starts at the same checkpoint, so it overwrites its own objects: no row appears twice. An erasure rewrites
// each of the tenant's objects that holds an erased conversation without its rows (or removes it when none remain).
import { parquetReadObjects } from 'hyparquet'
import { parquetWriteBuffer } from 'hyparquet-writer'
import { RetryableError } from '../lib/errors.ts'
import type { BlobStore, ExportRow, ExportStream } from '../storage/index.ts'
import { TABLES } from './tables.ts'
import { CONVERSATION_COLUMN, type ErasedConversation, type WarehouseSink } from './sink.ts'

export interface ParquetSinkOptions {
  store: BlobStore
  /** @defaultValue 'warehouse' */
  prefix?: string
}

/** Parquet types of the warehouse columns: text, whole numbers (counts, epoch ms) and decimals. */
function parquetType(chType: string): 'STRING' | 'INT64' | 'DOUBLE' {
  const t = chType.replace(/^Nullable\((.*)\)$/, '$1')
  if (t === 'String') return 'STRING'
  return /^U?Int/.test(t) ? 'INT64' : 'DOUBLE'
}

type Cell = string | number | bigint | boolean | null | undefined

/** A Parquet file of the stream's columns; `valueOf` reads a row's value of a column. */
function fileOf<R>(stream: ExportStream, rows: R[], valueOf: (row: R, column: { field: string; name: string }) => Cell): Uint8Array {
  const columnData = TABLES[stream].columns.map((c) => {
    const type = parquetType(c.type)
    const data = rows.map((r) => {
      const v = valueOf(r, c) ?? null
      return v === null ? null : type === 'INT64' ? BigInt(Math.round(Number(v))) : type === 'DOUBLE' ? Number(v) : String(v)
    })
    return { name: c.name, data, type, nullable: c.type.startsWith('Nullable') }
  })
  return new Uint8Array(parquetWriteBuffer({ columnData }))
}

export function createParquetSink(options: ParquetSinkOptions): WarehouseSink {
  const prefix = options.prefix ?? 'warehouse'
  return {
    name: `parquet:${prefix}`,
    async prepare() {},
    async write(stream, rows, batchKey) {
      const groups = new Map<string, ExportRow[]>()
      for (const r of rows) {
        const day = new Date(Number(r.createdAt)).toISOString().slice(0, 10)
        const key = `${prefix}/${stream}/tenant=${encodeURIComponent(String(r.tenantId))}/day=${day}/${batchKey}.parquet`
        groups.set(key, [...(groups.get(key) ?? []), r])
      }
      try {
        for (const [key, group] of groups) await options.store.put(key, fileOf(stream, group, (r, c) => r[c.field]), { contentType: 'application/vnd.apache.parquet' })
      } catch (e) {
        throw new RetryableError('export.unavailable', `object store unavailable: ${e instanceof Error ? e.message.slice(0, 300) : String(e)}`)
      }
    },
    async erase(conversations) {
      try {
        for (const [tenant, ids] of byTenant(conversations)) {
          for (const stream of Object.keys(TABLES) as ExportStream[]) await eraseFrom(options.store, `${prefix}/${stream}/tenant=${encodeURIComponent(tenant)}/`, stream, ids)
        }
      } catch (e) {
        throw new RetryableError('export.unavailable', `object store unavailable: ${e instanceof Error ? e.message.slice(0, 300) : String(e)}`)
      }
    },
    async close() {},
  }
}

function byTenant(conversations: ErasedConversation[]): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>()
  for (const c of conversations) out.set(c.tenantId, (out.get(c.tenantId) ?? new Set()).add(c.conversationId))
  return out
}

/** Rewrites every object under `prefix` that holds rows of the erased conversations. */
async function eraseFrom(store: BlobStore, prefix: string, stream: ExportStream, ids: Set<string>): Promise<void> {
  const column = CONVERSATION_COLUMN[stream]
  for (const key of await store.list(prefix)) {
    const bytes = await store.get(key)
    if (!bytes) continue
    const rows = await parquetReadObjects({ file: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer })
    const kept = rows.filter((r) => !ids.has(String(r[column])))
    if (kept.length === rows.length) continue
    if (kept.length === 0) await store.delete(key)
    else await store.put(key, fileOf(stream, kept, (r, c) => r[c.name] as Cell), { contentType: 'application/vnd.apache.parquet' })
  }
}
