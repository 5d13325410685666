// The ClickHouse sink over HTTP (@clickhouse/client): creates the tables and inserts batches as JSONEachRow.
// A failure is sorted at this edge: ClickHouse refusing the data is `export.rejected` (terminal: the exporter
// isolates the bad rows), anything else (connection refused, timeouts, overload) is `export.unavailable`.
import type { ClickHouseClient } from '@clickhouse/client'
import { RetryableError, TerminalError } from '../lib/errors.ts'
import type { ExportRow, ExportStream } from '../storage/index.ts'
import { createTableSql, TABLES } from './tables.ts'
import { CONVERSATION_COLUMN, type WarehouseSink } from './sink.ts'

export interface ClickHouseSinkOptions {
  /** The HTTP interface, `http://127.0.0.1:8123`. */
  url: string
  /** @defaultValue 'switchboard' */
  database?: string
  username?: string
  password?: string
  /** @defaultValue 30000 */
  requestTimeoutMs?: number
}

/** ClickHouse error codes that say "try again later" rather than "this data is wrong". */
const TRANSIENT = new Set(['159', '164', '202', '203', '209', '210', '241', '252', '425'])

/** The server's error code: the client parses today's format; 18.16 answers `Code: 27, e.displayText() = …`. */
// The client is required when a sink is made: a process that exports nowhere keeps none of it (lib/on-first-call.ts).
const clickhouse = () => require('@clickhouse/client') as typeof import('@clickhouse/client')

function serverCode(e: unknown): string | undefined {
  if (e instanceof clickhouse().ClickHouseError) return e.code
  return e instanceof Error ? /^Code: (\d+)[,.]/.exec(e.message)?.[1] : undefined
}

function classify(e: unknown): Error {
  const code = serverCode(e)
  const message = (e instanceof Error ? e.message : String(e)).slice(0, 300)
  if (code !== undefined && !TRANSIENT.has(code)) return new TerminalError('export.rejected', `ClickHouse refused the rows: ${message}`)
  return new RetryableError('export.unavailable', `ClickHouse unavailable: ${message}`)
}

export function createClickHouseSink(options: ClickHouseSinkOptions): WarehouseSink & { client: ClickHouseClient } {
  const database = options.database ?? 'switchboard'
  const { ClickHouseLogLevel, createClient } = clickhouse()
  const client = createClient({
    url: options.url, username: options.username ?? 'default', password: options.password ?? '',
    request_timeout: options.requestTimeoutMs ?? 30_000, compression: { request: false, response: false },
    // failures are classified and reported by the exporter; the client's own console lines would only repeat them
    log: { level: ClickHouseLogLevel.OFF },
  })
  return {
    name: `clickhouse:${database}`,
    client,
    async prepare() {
      try {
        await client.command({ query: `create database if not exists ${database}` })
        for (const stream of Object.keys(TABLES) as ExportStream[]) await client.command({ query: createTableSql(database, stream) })
      } catch (e) { throw classify(e) }
    },
    async write(stream: ExportStream, rows: ExportRow[]) {
      const cols = TABLES[stream].columns
      const values = rows.map((r) => Object.fromEntries(cols.map((col) => [col.name, r[col.field] ?? null])))
      try {
        await client.insert({ table: `${database}.${stream}`, values, format: 'JSONEachRow' })
      } catch (e) { throw classify(e) }
    },
    // ALTER TABLE … DELETE is a mutation (ClickHouse 1.1.54388 and later, so 18.16 has it): the server rewrites the
    // parts holding the rows in the background. Query parameters came later (19.x), so the ids are quoted literals.
    async erase(conversations) {
      if (conversations.length === 0) return
      const ids = conversations.map((c) => `'${c.conversationId.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`).join(', ')
      try {
        for (const stream of Object.keys(TABLES) as ExportStream[]) {
          await client.command({ query: `alter table ${database}.${stream} delete where ${CONVERSATION_COLUMN[stream]} in (${ids})` })
        }
      } catch (e) { throw classify(e) }
    },
    async close() { await client.close() },
  }
}
