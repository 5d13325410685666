// Streams each export stream from Postgres to a warehouse sink: read after the sink's checkpoint, redact, write,
// then move the checkpoint (with the batch's dead letters) in one transaction. A crash between the write and the
// checkpoint re-sends that batch, which the sink's keys collapse: at least once, no row lost, none counted twice.
// One page is read ahead while the previous one is written, and never more: a slow sink slows the reading.
import type { Logger } from '../lib/log.ts'
import { EXPORT_STREAMS, type ExportPosition, type ExportRow, type ExportSource, type ExportStream } from '../storage/index.ts'
import { createBatchWriter } from './batch-writer.ts'
import { redactRow } from './redaction.ts'
import type { WarehouseSink } from './sink.ts'

export interface ExporterOptions {
  source: ExportSource
  sink: WarehouseSink
  /** @defaultValue every stream */
  streams?: readonly ExportStream[]
  /** Rows per write. @defaultValue 5000 */
  batchSize?: number
  /** Rows younger than this wait, so a transaction committing late with an earlier key is not passed over. @defaultValue 2000 */
  settleMs?: number
  /** Pause between passes once every stream is drained. @defaultValue 1000 */
  idleMs?: number
  retryMs?: number
  log?: Logger
  /** Told after each batch lands: for progress figures and lag measurements. */
  onBatch?: (stream: ExportStream, rows: readonly ExportRow[], landedAt: number) => void
}

export interface StreamProgress {
  /** Rows written by this exporter since it started. */
  exported: number
  deadLettered: number
  /** Rows still to send when last measured; null before `measure()`. */
  remaining: number | null
  /** exported / (exported + remaining): a backfill's progress; null before `measure()`. */
  fraction: number | null
}

/** A batch's name: where it starts in the stream (a re-sent batch starts at the same checkpoint). */
const batchKeyOf = (from: ExportPosition | null) =>
  from === null ? 'start' : 'seq' in from ? `seq-${from.seq}` : `at-${Bun.hash(`${from.at}|${from.id}`).toString(16)}`

export function createExporter(o: ExporterOptions) {
  const streams = o.streams ?? EXPORT_STREAMS
  const batchSize = o.batchSize ?? 5000
  const settleMs = o.settleMs ?? 2000
  const writer = createBatchWriter(o.sink, {
    retryMs: o.retryMs, onRetry: (stream, error, waitMs) => o.log?.warn('export sink unavailable, waiting', { sink: o.sink.name, stream, error, waitMs }),
  })
  const progress = new Map<ExportStream, StreamProgress>(streams.map((s) => [s, { exported: 0, deadLettered: 0, remaining: null, fraction: null }]))

  /** Sends everything settled in one stream; returns the rows sent. */
  async function drainStream(stream: ExportStream, signal?: AbortSignal): Promise<number> {
    const p = progress.get(stream)!
    let sent = 0
    let from = (await o.source.checkpoint(o.sink.name, stream)).position
    let next = o.source.page(stream, from, batchSize, settleMs)
    try {
      while (!signal?.aborted) {
        const page = await next
        if (page.rows.length === 0) break
        next = o.source.page(stream, page.next, batchSize, settleMs)
        const dead = await writer.write(stream, page.rows.map((r) => redactRow(stream, r)), batchKeyOf(from), signal)
        from = page.next
        await o.source.advance(o.sink.name, stream, page.next, page.rows.length - dead.length, dead)
        sent += page.rows.length
        p.exported += page.rows.length - dead.length
        p.deadLettered += dead.length
        if (p.remaining !== null) p.remaining = Math.max(0, p.remaining - page.rows.length)
        p.fraction = p.remaining === null ? null : p.exported / Math.max(1, p.exported + p.remaining)
        o.onBatch?.(stream, page.rows, Date.now())
        if (dead.length > 0) o.log?.warn('export rows dead-lettered', { sink: o.sink.name, stream, rows: dead.length, error: dead[0]!.error })
      }
    } finally {
      // the page read ahead is dropped; its rows are read again from the checkpoint next time
      await next.catch(() => undefined)
    }
    return sent
  }

  /** Removes from the sink the rows of every conversation erased since its erasure checkpoint. */
  async function drainErasures(signal?: AbortSignal): Promise<number> {
    let erased = 0
    let from = (await o.source.checkpoint(o.sink.name, 'erasures')).position
    while (!signal?.aborted) {
      const page = await o.source.page('erasures', from, batchSize, settleMs)
      if (page.rows.length === 0) break
      await o.sink.erase(page.rows.map((r) => ({ tenantId: String(r.tenantId), conversationId: String(r.id) })))
      await o.source.advance(o.sink.name, 'erasures', page.next, page.rows.length)
      from = page.next
      erased += page.rows.length
    }
    return erased
  }

  return {
    /** Creates the sink's tables. */
    prepare: () => o.sink.prepare(),
    /**
     * One pass over every stream until each is drained, then the erasures since the last pass (after the rows, so a
     * row read just before its conversation was erased is removed too); returns the rows sent per stream.
     */
    async drain(signal?: AbortSignal): Promise<Record<string, number>> {
      const sent: Record<string, number> = {}
      for (const s of streams) sent[s] = await drainStream(s, signal)
      const erased = await drainErasures(signal)
      if (erased > 0) o.log?.info('erasures exported', { sink: o.sink.name, conversations: erased })
      return sent
    },
    /** Exports until aborted, pausing `idleMs` between passes that found nothing. */
    async run(signal: AbortSignal): Promise<void> {
      while (!signal.aborted) {
        const sent = await this.drain(signal)
        if (Object.values(sent).every((n) => n === 0)) await new Promise((r) => setTimeout(r, o.idleMs ?? 1000))
      }
    },
    /**
     * Runs as the sink's only exporter: waits for the lease (another process may hold it), then exports until
     * aborted. Two exporters on one checkpoint would move it back and forth; one at a time keeps it monotonic.
     */
    async runAsLeader(signal: AbortSignal): Promise<void> {
      while (!signal.aborted) {
        const lease = await o.source.lead(o.sink.name)
        if (!lease) { await new Promise((r) => setTimeout(r, o.idleMs ?? 1000)); continue }
        try {
          await o.sink.prepare()
          await this.run(signal)
        } catch (error) {
          if (signal.aborted) break
          o.log?.warn('export pass failed', { sink: o.sink.name, error: String(error) })
          await new Promise((r) => setTimeout(r, o.idleMs ?? 1000))
        } finally {
          await lease.release()
        }
      }
    },
    /** Counts what each stream still has to send: a backfill's total. */
    async measure(): Promise<void> {
      for (const s of streams) {
        const p = progress.get(s)!
        p.remaining = await o.source.remaining(s, (await o.source.checkpoint(o.sink.name, s)).position, settleMs)
        p.fraction = p.exported / Math.max(1, p.exported + p.remaining)
      }
    },
    progress(): Record<string, StreamProgress> {
      return Object.fromEntries([...progress].map(([s, p]) => [s, { ...p }]))
    },
  }
}
export type Exporter = ReturnType<typeof createExporter>
