// Recovery from a Redis that lost its data (restarted empty, or failed over to a replica that had nothing): the
// runtime's epoch key is gone with the mailboxes. Accepted messages live in Postgres, so one worker re-mails the
// accepted but unanswered ones; before that, owners get a moment to reclaim their leases (lease.ts), so a turn
// still running on its owner is not started a second time elsewhere.
import type Redis from 'ioredis'
import type { Logger } from '../lib/log.ts'
import { names } from './names.ts'

// How often the epoch is looked at besides each reconnection: a flush without a reconnection is seen too.
const CHECK_INTERVAL_MS = 5000

export interface RedisLossOptions {
  prefix: string
  /** Time for owners to reclaim their leases before mail is re-sent: about a third of the lease TTL. */
  graceMs: number
  /** Re-sends every accepted, unanswered message to its conversation, in order; resolves to how many. */
  remail(): Promise<number>
  log: Logger
}

export interface RedisLossWatch {
  close(): void
}

/** Marks a prefix that starts empty on purpose (a fresh sandbox) as having lost nothing. */
export async function markRedisEpoch(connection: Pick<Redis, 'set'>, prefix: string): Promise<void> {
  await connection.set(names.epoch(prefix), crypto.randomUUID(), 'NX')
}

/** Starts watching (at once: a Redis found empty at start may also have lost mail). */
export function watchRedisLoss(connection: Redis, options: RedisLossOptions): RedisLossWatch {
  const { log } = options
  const epochKey = names.epoch(options.prefix)
  let running: Promise<void> | undefined
  let closed = false

  async function recover(): Promise<void> {
    if ((await connection.exists(epochKey)) === 1) return
    await Bun.sleep(options.graceMs)
    // One worker re-mails; should it fail, the epoch goes again so that the next check retries.
    if (closed || (await connection.set(epochKey, crypto.randomUUID(), 'NX')) !== 'OK') return
    try {
      const sent = await options.remail()
      if (sent > 0) log.warn('redis had lost its data; accepted unanswered messages mailed again', { sent })
    } catch (e) {
      await connection.del(epochKey)
      throw e
    }
  }

  const check = () => {
    if (closed || running) return
    running = recover()
      .catch((e: Error) => log.error('recovery after redis data loss failed; retrying', { error: e }))
      .finally(() => (running = undefined))
  }
  const timer = setInterval(check, CHECK_INTERVAL_MS)
  connection.on('ready', check)
  check()
  return {
    close() {
      closed = true
      clearInterval(timer)
      connection.off('ready', check)
    },
  }
}
