// The warehouse export's side in Postgres: each stream read in key order after a position, only rows older than a
// settle delay (so a transaction still committing with an earlier key is not skipped), the sinks' checkpoints and
// their dead letters. Rows come out as plain JSON values; redaction and the sinks' shapes are the exporter's.
import { assertNever } from '../../lib/errors.ts'
import type { Sql } from './client.ts'

export const EXPORT_STREAMS = ['conversations', 'turns', 'provider_calls', 'policy_decisions', 'escalations', 'csat'] as const
export type ExportStream = (typeof EXPORT_STREAMS)[number]
/** A row stream, or `erasures`: the conversations erased since, whose exported rows each sink must remove. */
export type SourceStream = ExportStream | 'erasures'

/** Where a stream was read up to: a (timestamp text, id) pair, or a sequence number. */
export type ExportPosition = { at: string; id: string } | { seq: number }
export type ExportRow = Record<string, string | number | boolean | null>

export interface ExportPage {
  rows: ExportRow[]
  /** The position after the last row; the same position when the page is empty. */
  next: ExportPosition | null
}

export interface ExportCheckpoint { position: ExportPosition | null; exported: number; deadLettered: number }

const ms = (col: string) => `round(extract(epoch from ${col}) * 1000)::bigint`

/** Each stream's select (without the keyset condition), its key columns and its order. */
function streamQuery(sql: Sql, stream: SourceStream) {
  switch (stream) {
    case 'conversations': return { keyed: 'at' as const, key: 'c.updated_at', id: 'c.id', from: sql.unsafe(`select c.id, c.tenant_id as "tenantId",
      c.agent, c.channel, c.customer_id as "customerId", c.status, ${ms('c.created_at')} as "createdAt", ${ms('c.closed_at')} as "closedAt",
      ${ms('c.reopened_at')} as "reopenedAt", ${ms('c.updated_at')} as "version", c.updated_at::text as "_at", c.id as "_id" from conversations c`) }
    case 'turns': return { keyed: 'seq' as const, key: 'm.seq', id: '', from: sql.unsafe(`select m.id, c.tenant_id as "tenantId", m.conversation_id as "conversationId",
      m.seq, m.role, m.text, m.turn_id as "turnId", ${ms('m.created_at')} as "createdAt", m.seq as "_seq"
      from messages m join conversations c on c.id = m.conversation_id`) }
    case 'provider_calls': return { keyed: 'at' as const, key: 'p.created_at', id: 'p.id', from: sql.unsafe(`select p.id, c.tenant_id as "tenantId",
      p.conversation_id as "conversationId", p.turn_id as "turnId", p.provider, p.model, p.input_tokens as "inputTokens",
      p.output_tokens as "outputTokens", p.cached_tokens as "cachedTokens", p.cost_usd::float8 as "costUsd", p.latency_ms as "latencyMs",
      ${ms('p.created_at')} as "createdAt", p.created_at::text as "_at", p.id as "_id"
      from provider_calls p join conversations c on c.id = p.conversation_id`) }
    case 'policy_decisions': return { keyed: 'seq' as const, key: 'd.id', id: '', from: sql.unsafe(`select d.id::text as id, d.tenant_id as "tenantId",
      d.conversation_id as "conversationId", d.turn_id as "turnId", d.tool, d.agent, d.policy, d.policy_version as "policyVersion", d.rule,
      d.outcome, d.reason, d.amount_usd::float8 as "amountUsd", ${ms('d.created_at')} as "createdAt", d.id as "_seq" from policy_decisions d`) }
    // by when it last changed: taken and resolved are exported again, and the warehouse keeps the latest version
    case 'escalations': return { keyed: 'at' as const, key: 'e.updated_at', id: 'e.id', from: sql.unsafe(`select e.id, c.tenant_id as "tenantId",
      e.conversation_id as "conversationId", e.reason, e.category, e.completeness, e.status, ${ms('e.created_at')} as "createdAt",
      ${ms('e.taken_at')} as "takenAt", ${ms('e.resolved_at')} as "resolvedAt", ${ms('e.updated_at')} as "version",
      e.updated_at::text as "_at", e.id as "_id" from escalations e join conversations c on c.id = e.conversation_id`) }
    case 'csat': return { keyed: 'at' as const, key: 'r.created_at', id: 'r.conversation_id', from: sql.unsafe(`select r.conversation_id as id,
      r.tenant_id as "tenantId", r.rating, r.comment, ${ms('r.created_at')} as "createdAt", ${ms('r.created_at')} as "version",
      r.created_at::text as "_at", r.conversation_id as "_id" from csat_ratings r`) }
    case 'erasures': return { keyed: 'at' as const, key: 'e.erased_at', id: 'e.id', from: sql.unsafe(`select e.id, e.tenant_id as "tenantId",
      e.erased_at::text as "_at", e.id as "_id" from erased_conversations e`) }
    default: return assertNever(stream)
  }
}

function positionOf(row: ExportRow): ExportPosition {
  return row._seq !== undefined ? { seq: Number(row._seq) } : { at: String(row._at), id: String(row._id) }
}

function after(sql: Sql, q: ReturnType<typeof streamQuery>, pos: ExportPosition | null, settleMs: number) {
  const settled = sql`${sql.unsafe(q.keyed === 'seq' ? `${q.key.split('.')[0]}.created_at` : q.key)} < now() - make_interval(secs => ${settleMs / 1000})`
  if (pos === null) return settled
  if ('seq' in pos) return sql`${settled} and ${sql.unsafe(q.key)} > ${pos.seq}`
  // through text: a parameter typed timestamptz is serialized by the driver via Date, which drops the microseconds
  return sql`${settled} and (${sql.unsafe(q.key)}, ${sql.unsafe(q.id)}) > (${pos.at}::text::timestamptz, ${pos.id})`
}

export function createExportSource(sql: Sql) {
  return {
    /** Up to `limit` rows of the stream after `position`, in key order, settled for `settleMs`. */
    async page(stream: SourceStream, position: ExportPosition | null, limit: number, settleMs: number): Promise<ExportPage> {
      const q = streamQuery(sql, stream)
      const order = q.keyed === 'seq' ? q.key : `${q.key}, ${q.id}`
      const rows = await sql<ExportRow[]>`${q.from} where ${after(sql, q, position, settleMs)} order by ${sql.unsafe(order)} limit ${limit}`
      const next = rows.length > 0 ? positionOf(rows.at(-1)!) : position
      for (const r of rows) { delete r._at; delete r._id; delete r._seq }
      return { rows, next }
    },
    /** How many settled rows the stream holds after `position`: what a backfill still has to send. */
    async remaining(stream: SourceStream, position: ExportPosition | null, settleMs: number): Promise<number> {
      const q = streamQuery(sql, stream)
      const [row] = await sql<{ n: number }[]>`select count(*)::int as n from (${q.from} where ${after(sql, q, position, settleMs)}) s`
      return row!.n
    },
    async checkpoint(sink: string, stream: SourceStream): Promise<ExportCheckpoint> {
      const [row] = await sql<ExportCheckpoint[]>`select position, exported, dead_lettered as "deadLettered" from export_checkpoints
        where sink = ${sink} and stream = ${stream}`
      return row ?? { position: null, exported: 0, deadLettered: 0 }
    },
    /** Moves the checkpoint, with the dead letters of the same batch in one transaction. */
    async advance(sink: string, stream: SourceStream, position: ExportPosition | null, exported: number,
      dead: Array<{ key: string; row: ExportRow; error: string }> = []): Promise<void> {
      await sql.begin(async (tx) => {
        for (const d of dead) {
          await tx`insert into export_dead_letters (sink, stream, row_key, row, error) values (${sink}, ${stream}, ${d.key}, ${tx.json(d.row as never)}, ${d.error})`
        }
        await tx`insert into export_checkpoints (sink, stream, position, exported, dead_lettered)
          values (${sink}, ${stream}, ${tx.json(position as never)}, ${exported}, ${dead.length})
          on conflict (sink, stream) do update set position = excluded.position, exported = export_checkpoints.exported + excluded.exported,
            dead_lettered = export_checkpoints.dead_lettered + excluded.dead_lettered, updated_at = now()`
      })
    },
    /**
     * Makes this process the sink's only exporter while it holds the returned lease (a session advisory lock on a
     * connection of its own); undefined when another process holds it. A lost connection ends the lease.
     */
    async lead(sink: string): Promise<{ release(): Promise<void> } | undefined> {
      const conn = await sql.reserve()
      const [row] = await conn<{ ok: boolean }[]>`select pg_try_advisory_lock(hashtext('switchboard.export'), hashtext(${sink})) as ok`
      if (!row?.ok) { conn.release(); return undefined }
      return {
        async release() {
          await conn`select pg_advisory_unlock(hashtext('switchboard.export'), hashtext(${sink}))`.catch(() => undefined)
          conn.release()
        },
      }
    },
    /** Every sink's checkpoint counts, for the metrics. */
    async totals(): Promise<Array<{ sink: string; stream: string; exported: number; deadLettered: number }>> {
      return sql`select sink, stream, exported, dead_lettered as "deadLettered" from export_checkpoints order by sink, stream`
    },
    async deadLetters(sink: string, stream: ExportStream): Promise<Array<{ key: string; row: ExportRow; error: string }>> {
      return sql`select row_key as key, row, error from export_dead_letters where sink = ${sink} and stream = ${stream} order by id`
    },
  }
}
export type ExportSource = ReturnType<typeof createExportSource>
