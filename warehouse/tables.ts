// The warehouse tables, one per export stream: their columns (ClickHouse types, kept to what ClickHouse 18.16 has:
// no DateTime64, no LowCardinality, no Decimal) and the ReplacingMergeTree keys that make a re-sent row collapse
// into one. Times are epoch milliseconds (`*_ms UInt64`) plus a `day` column the partitions use.
import type { ExportStream } from '../storage/index.ts'

export interface Column {
  /** The export row's field. */
  field: string
  name: string
  type: string
}

export interface TableSpec {
  columns: Column[]
  /** The version column a re-exported (updated) row wins by; none for rows that never change. */
  version?: string
}

const c = (field: string, name: string, type: string): Column => ({ field, name, type })
const common = [c('id', 'id', 'String'), c('tenantId', 'tenant_id', 'String')]
const created = c('createdAt', 'created_ms', 'UInt64')

export const TABLES: Record<ExportStream, TableSpec> = {
  conversations: {
    columns: [...common, c('agent', 'agent', 'String'), c('channel', 'channel', 'String'), c('customerId', 'customer_id', 'Nullable(String)'),
      c('status', 'status', 'String'), created, c('closedAt', 'closed_ms', 'Nullable(UInt64)'), c('reopenedAt', 'reopened_ms', 'Nullable(UInt64)'),
      c('version', 'version', 'UInt64')],
    version: 'version',
  },
  turns: {
    columns: [...common, c('conversationId', 'conversation_id', 'String'), c('seq', 'seq', 'UInt64'), c('role', 'role', 'String'),
      c('text', 'text', 'String'), c('turnId', 'turn_id', 'Nullable(String)'), created],
  },
  provider_calls: {
    columns: [...common, c('conversationId', 'conversation_id', 'String'), c('turnId', 'turn_id', 'String'), c('provider', 'provider', 'String'),
      c('model', 'model', 'String'), c('inputTokens', 'input_tokens', 'UInt32'), c('outputTokens', 'output_tokens', 'UInt32'),
      c('cachedTokens', 'cached_tokens', 'UInt32'), c('costUsd', 'cost_usd', 'Float64'), c('latencyMs', 'latency_ms', 'UInt32'), created],
  },
  policy_decisions: {
    columns: [...common, c('conversationId', 'conversation_id', 'String'), c('turnId', 'turn_id', 'Nullable(String)'), c('tool', 'tool', 'String'),
      c('agent', 'agent', 'String'), c('policy', 'policy', 'Nullable(String)'), c('policyVersion', 'policy_version', 'Nullable(String)'),
      c('rule', 'rule', 'String'), c('outcome', 'outcome', 'String'), c('reason', 'reason', 'Nullable(String)'),
      c('amountUsd', 'amount_usd', 'Nullable(Float64)'), created],
  },
  escalations: {
    columns: [...common, c('conversationId', 'conversation_id', 'String'), c('reason', 'reason', 'String'), c('category', 'category', 'Nullable(String)'),
      c('completeness', 'completeness', 'Nullable(Float64)'), c('status', 'status', 'String'), created,
      c('takenAt', 'taken_ms', 'Nullable(UInt64)'), c('resolvedAt', 'resolved_ms', 'Nullable(UInt64)'), c('version', 'version', 'UInt64')],
    version: 'version',
  },
  csat: {
    columns: [...common, c('rating', 'rating', 'UInt8'), c('comment', 'comment', 'Nullable(String)'), created, c('version', 'version', 'UInt64')],
    version: 'version',
  },
}

/** The table's DDL: partitioned by month of `day`, one row per (tenant, id) after merges. */
export function createTableSql(database: string, stream: ExportStream): string {
  const t = TABLES[stream]
  const cols = t.columns.map((col) => `${col.name} ${col.type}`).join(', ')
  return `create table if not exists ${database}.${stream} (${cols}, day Date materialized toDate(intDiv(created_ms, 1000)))
    engine = ReplacingMergeTree(${t.version ?? ''}) partition by toYYYYMM(day) order by (tenant_id, id)`
}
