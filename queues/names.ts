// The one place that maps actor addresses to queue names and Redis keys. Every BullMQ Worker holds its own
// blocking Redis connection, so this mapping must be free to change without touching actors.
import type { PoolName } from '../actors/protocol.ts'

/** Conversation ids become queue names: keep them to a charset that is safe in keys and URLs. */
export const CONVERSATION_ID_PATTERN = /^[A-Za-z0-9_.-]{1,128}$/

export const names = {
  mailbox: (conversationId: string) => `mailbox-${conversationId}`,
  pool: (pool: PoolName) => `pool-${pool}`,
  activations: 'activations',
  deadLetter: 'dead-letter',
  lease: (prefix: string, conversationId: string) => `${prefix}:lease:${conversationId}`,
  leaseIndex: (prefix: string) => `${prefix}:leases`,
} as const
