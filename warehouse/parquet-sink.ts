// Parquet files on S3 (any S3-protocol store), for warehouses that load them natively (BigQuery external tables or
// loads, Snowflake stages and Snowpipe). One object per batch, stream, tenant and day:
// `<prefix>/<stream>/tenant=<id>/day=<YYYY-MM-DD>/<batch>.parquet` (Hive-style partitions). A batch re-sent after a
// crash starts at the same checkpoint, so it overwrites its own objects: no row appears twice.
import { parquetWriteBuffer } from 'hyparquet-writer'
import { RetryableError } from '../lib/errors.ts'
import type { BlobStore, ExportRow, ExportStream } from '../storage/index.ts'
import { TABLES } from './tables.ts'
import type { WarehouseSink } from './sink.ts'

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

function fileOf(stream: ExportStream, rows: ExportRow[]): Uint8Array {
  const columnData = TABLES[stream].columns.map((c) => {
    const type = parquetType(c.type)
    const data = rows.map((r) => {
      const v = r[c.field] ?? null
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
        for (const [key, group] of groups) await options.store.put(key, fileOf(stream, group), { contentType: 'application/vnd.apache.parquet' })
      } catch (e) {
        throw new RetryableError('export.unavailable', `object store unavailable: ${e instanceof Error ? e.message.slice(0, 300) : String(e)}`)
      }
    },
    async close() {},
  }
}
