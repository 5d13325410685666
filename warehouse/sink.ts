// What the exporter asks of a warehouse: tables ready, a batch written all or nothing, closed at the end.

import type { ExportRow, ExportStream } from '../storage/index.ts'

export interface ErasedConversation { tenantId: string; conversationId: string }

/** The column naming a row's conversation in each stream's table. */
export const CONVERSATION_COLUMN: Record<ExportStream, string> = {
  conversations: 'id', csat: 'id', turns: 'conversation_id', provider_calls: 'conversation_id', policy_decisions: 'conversation_id', escalations: 'conversation_id',
}

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
  /**
   * Removes every exported row of these erased conversations (a customer's erasure reaching the warehouse). Safe to
   * repeat; throws `export.unavailable` when it could not be done now.
   */
  erase(conversations: ErasedConversation[]): Promise<void>
  close(): Promise<void>
}
