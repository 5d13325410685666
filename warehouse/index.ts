// Analytics export to warehouses: conversations, turns, provider calls, policy decisions, escalations and CSAT,
// redacted, streamed incrementally from Postgres checkpoints to ClickHouse (and any sink of the same contract).

/**
 * Streams the export streams to a sink, resumable from its checkpoints.
 * @example const ex = createExporter({ source: storage.exportSource, sink: createClickHouseSink({ url }) }); await ex.prepare(); await ex.run(signal)
 */
export { createExporter, type Exporter, type ExporterOptions, type StreamProgress } from './exporter.ts'
/** ClickHouse over HTTP. @defaultValue database 'switchboard' */
export { createClickHouseSink, type ClickHouseSinkOptions } from './clickhouse-sink.ts'
/** Parquet files on S3, partitioned by stream, tenant and day. @defaultValue prefix 'warehouse' */
export { createParquetSink, type ParquetSinkOptions } from './parquet-sink.ts'
/** What a sink implements. */
export type { WarehouseSink } from './sink.ts'
/** The warehouse tables and their DDL. */
export { createTableSql, TABLES, type Column, type TableSpec } from './tables.ts'
/** The redaction every exported row passes through. */
export { redactRow } from './redaction.ts'
