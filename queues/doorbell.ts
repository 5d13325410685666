// A worker process's doorbell: the ids of conversations it owns that have new mail (lease.ts rings it), read
// with one blocking connection for the whole process, however many actors are active. The same read waits on the
// activation bell (lease.ts), while the process has room for more actors.
import type Redis from 'ioredis'
import type { Logger } from '../lib/log.ts'

// Seconds one read blocks; a closing host interrupts it by disconnecting.
const BLOCK_SECONDS = 5
// While the process is full it does not listen to the activation bell: it looks again this soon, so a request that
// rang meanwhile waits for it at most this long once room frees up (or for another process with room).
const FULL_BLOCK_SECONDS = 0.05
// Ids taken per read: a burst of mail is handed over in a few calls.
const BATCH = 1000

export interface DoorbellHooks {
  ring(conversationIds: string[]): void
  /** The activation bell rang: activation requests wait. */
  activate(): void
  /** Whether to listen to the activation bell too (a full process leaves the requests to others). */
  wantsActivations(): boolean
  /** The connection came back after a loss: rings sent meanwhile may be gone with Redis's data. */
  reconnected(): void
}

export interface Doorbell {
  close(): Promise<void>
}

export function listenDoorbell(connection: Redis, keys: { doorbell: string; activationBell: string }, hooks: DoorbellHooks, log: Logger): Doorbell {
  const client = connection.duplicate({ connectionName: `${connection.options.connectionName ?? 'switchboard'}-doorbell` })
  let closed = false
  let connectedOnce = false
  client.on('ready', () => {
    if (connectedOnce && !closed) hooks.reconnected()
    connectedOnce = true
  })
  const loop = (async () => {
    while (!closed) {
      try {
        const popped = hooks.wantsActivations()
          ? await client.blmpop(BLOCK_SECONDS, 2, keys.doorbell, keys.activationBell, 'LEFT', 'COUNT', BATCH)
          : await client.blmpop(FULL_BLOCK_SECONDS, 1, keys.doorbell, 'LEFT', 'COUNT', BATCH)
        if (popped?.[0] === keys.activationBell) hooks.activate()
        else if (popped) hooks.ring(popped[1])
      } catch (e) {
        if (closed) return
        log.warn('doorbell read failed', { error: e as Error })
        await Bun.sleep(250)
      }
    }
  })()
  return {
    async close() {
      closed = true
      client.disconnect()
      await loop
    },
  }
}
