// Writes one batch to a sink until it lands: a sink that is down or slow is waited out with backoff (the reader
// waits too: that is the backpressure); rows the sink refuses are isolated by halving the batch, and each refused
// row is handed back as a dead letter while the rest are written.
import { ensureAppError } from '../lib/errors.ts'
import type { ExportRow, ExportStream } from '../storage/index.ts'
import type { WarehouseSink } from './sink.ts'

export interface DeadLetter { key: string; row: ExportRow; error: string }

export interface BatchWriterOptions {
  /** First pause after an unavailable sink; doubles up to `maxRetryMs`. @defaultValue 200 */
  retryMs?: number
  /** @defaultValue 10000 */
  maxRetryMs?: number
  /** Told of each wait, for logs and metrics. */
  onRetry?: (stream: ExportStream, error: string, waitMs: number) => void
}

export function createBatchWriter(sink: WarehouseSink, o: BatchWriterOptions = {}) {
  const sleep = (ms: number, signal?: AbortSignal) => new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms)
    signal?.addEventListener('abort', () => { clearTimeout(t); resolve() }, { once: true })
  })

  /** Writes `rows`, retrying while the sink is unavailable; throws only a rejection (or the abort). */
  async function landOrReject(stream: ExportStream, rows: ExportRow[], key: string, signal?: AbortSignal): Promise<void> {
    for (let wait = o.retryMs ?? 200; ; wait = Math.min(wait * 2, o.maxRetryMs ?? 10_000)) {
      try {
        await sink.write(stream, rows, key)
        return
      } catch (e) {
        const err = ensureAppError(e)
        if (err.code === 'export.rejected') throw err
        if (signal?.aborted) throw err
        o.onRetry?.(stream, err.message, wait)
        await sleep(wait, signal)
      }
    }
  }

  /** Writes the batch; returns the rows the sink refused one by one. */
  async function write(stream: ExportStream, rows: ExportRow[], key: string, signal?: AbortSignal): Promise<DeadLetter[]> {
    if (rows.length === 0) return []
    try {
      await landOrReject(stream, rows, key, signal)
      return []
    } catch (e) {
      const err = ensureAppError(e)
      if (err.code !== 'export.rejected') throw err
      if (rows.length === 1) return [{ key: String(rows[0]!.id), row: rows[0]!, error: err.message }]
      const half = Math.ceil(rows.length / 2)
      return [...await write(stream, rows.slice(0, half), `${key}a`, signal), ...await write(stream, rows.slice(half), `${key}b`, signal)]
    }
  }
  return { write }
}
