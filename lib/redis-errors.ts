// An error handler for every Redis client: without one, ioredis prints "Unhandled error event" traces while Redis is
// away. Its reconnect attempts fail once or twice a second, so one line per client per interval says enough.
import type { EventEmitter } from 'node:events'
import { createLogger } from './log.ts'

const log = createLogger({ component: 'redis' })
const REPEAT_LOG_MS = 30_000

/** Logs `client`'s errors as warnings, the first at once and then at most one line (with a count) per 30 s. */
export function logRedisErrors(client: EventEmitter, name: string): void {
  let lastLogged = 0
  let suppressed = 0
  client.on('error', (error: Error) => {
    const now = Date.now()
    if (now - lastLogged < REPEAT_LOG_MS) {
      suppressed++
      return
    }
    log.warn('redis connection error', { client: name, error, ...(suppressed > 0 ? { suppressed } : {}) })
    lastLogged = now
    suppressed = 0
  })
  client.on('ready', () => {
    if (lastLogged === 0) return
    log.info('redis connection restored', { client: name })
    lastLogged = 0
    suppressed = 0
  })
}
