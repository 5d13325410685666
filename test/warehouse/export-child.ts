// An exporter process for the crash test: sends the turns stream to ClickHouse in small batches until killed.
import { createExportSource, createSql } from '../../storage/index.ts'
import { createClickHouseSink, createExporter } from '../../warehouse/index.ts'

const sql = createSql({ url: process.env.DATABASE_URL!, schema: process.env.EXPORT_SCHEMA!, maxConnections: 2 })
const exporter = createExporter({
  source: createExportSource(sql), sink: createClickHouseSink({ url: process.env.CLICKHOUSE_URL!, database: process.env.CLICKHOUSE_DB! }),
  streams: ['turns'], batchSize: Number(process.env.EXPORT_BATCH ?? 200), settleMs: 0,
})
await exporter.drain()
console.log('drained')
process.exit(0)
