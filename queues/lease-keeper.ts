// Keeping a worker's leases: renew every lease it holds (one script call) and stop actors whose lease was
// lost; and, on every worker, find conversations whose owner died and have them re-activated.
import type { Logger } from '../lib/log.ts'
import type { Leases } from './lease.ts'

export interface LeaseKeeperOptions {
  leases: Leases
  leaseTtlMs: number
  log: Logger
  /** Conversations this process owns right now. */
  owned(): string[]
  /** Called for each owned conversation whose lease another owner took or let expire. */
  onLost(conversationId: string): void
  /** Called for each conversation of a dead owner, claimed by this process for recovery. */
  onOrphan(conversationId: string): Promise<void>
}

export interface LeaseKeeper {
  /** Renews at once (the connection came back: leases may need reclaiming before anyone else takes them). */
  renewNow(): void
  /** Stops recovering other owners' conversations (shutdown), while still renewing our own. */
  stopReaping(): void
  stop(): void
}

export function startLeaseKeeper(options: LeaseKeeperOptions): LeaseKeeper {
  const { leases, log } = options
  // Renew three times per TTL; look for orphans at most every second (a quarter TTL when shorter).
  const renewTimer = setInterval(() => void renew(), Math.max(100, Math.floor(options.leaseTtlMs / 3)))
  const reapTimer = setInterval(() => void reap(), Math.min(1000, Math.max(100, Math.floor(options.leaseTtlMs / 4))))

  async function renew(): Promise<void> {
    const lost = await leases.renew(options.owned()).catch((e: Error) => (log.warn('lease renewal failed', { error: e }), []))
    for (const id of lost) {
      log.warn('lease lost; stopping actor', { conversationId: id })
      options.onLost(id)
    }
  }

  async function reap(): Promise<void> {
    const orphans = await leases.reapExpired().catch((e: Error) => (log.warn('lease reaper failed', { error: e }), []))
    for (const id of orphans) {
      log.info('recovering conversation of a dead owner', { conversationId: id })
      await options.onOrphan(id).catch((e: Error) => log.error('recovery wake failed', { error: e }))
    }
  }

  return {
    renewNow: () => void renew(),
    stopReaping: () => clearInterval(reapTimer),
    stop() {
      clearInterval(reapTimer)
      clearInterval(renewTimer)
    },
  }
}
