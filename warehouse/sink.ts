// What the exporter asks of a warehouse: tables ready, a batch written all or nothing, closed at the end.

import type { ExportRow, ExportStream } from '../storage/index.ts'

export interface WarehouseSink {
  /** Names the sink's checkpoints and dead letters. */
  name: string
  /** Creates what the sink needs (database, tables); safe to call again. */
  prepare(): Promise<void>
  /**
   * Writes the rows. Throws `export.rejected` (TerminalError) when the sink refuses the data and
   * `export.unavailable` (RetryableError) when it could not take it now. Re-sending a batch must be harmless:
   * `batchKey` names the batch by where it starts in the stream, the same when it is sent again after a crash.
   */
  write(stream: ExportStream, rows: ExportRow[], batchKey: string): Promise<void>
  close(): Promise<void>
}
