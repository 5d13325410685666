// The one place that maps actor addresses to queue names and Redis keys. Every BullMQ Worker holds its own
// blocking Redis connection, so this mapping must be free to change without touching actors.
import type { PoolName } from '../actors/protocol.ts'

/** Conversation ids become queue names: keep them to a charset that is safe in keys and URLs. */
export const CONVERSATION_ID_PATTERN = /^[A-Za-z0-9_.-]{1,128}$/

export const names = {
  mailbox: (conversationId: string) => `mailbox-${conversationId}`,
  pool: (pool: PoolName) => `pool-${pool}`,
  /** One queue per provider (vendor): KEDA scales, and BullMQ rate-limits, each vendor on its own. */
  providerPool: (vendor: string) => `pool-provider-${vendor}`,
  deadLetter: 'dead-letter',
  lease: (prefix: string, conversationId: string) => `${prefix}:lease:${conversationId}`,
  leaseIndex: (prefix: string) => `${prefix}:leases`,
  wake: (prefix: string, conversationId: string) => `${prefix}:wake:${conversationId}`,
  /** Conversations waiting for some worker to activate them (lease.ts). */
  activationRequests: (prefix: string) => `${prefix}:activation-requests`,
  /** Rung when activation requests wait: one idle worker's blocking read wakes (doorbell.ts). */
  activationBell: (prefix: string) => `${prefix}:activation-bell`,
  /** A worker process's doorbell: the conversations it owns that have new mail. */
  doorbell: (prefix: string, ownerId: string) => `${prefix}:doorbell:${ownerId}`,
  /** Set while Redis holds the runtime's state; its absence means Redis lost its data (see recovery.ts). */
  epoch: (prefix: string) => `${prefix}:epoch`,
} as const
