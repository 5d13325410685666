// Per-call limits: the timeout that aborts a tool, and the cap on how much of a result reaches the model.
import { RetryableError } from '../lib/errors.ts'

export const DEFAULT_TIMEOUT_MS = 10_000
export const DEFAULT_MAX_RESULT_CHARS = 16_000

/** Runs `fn` with an AbortSignal that fires after `ms`; the call rejects with a retryable `tool.timeout` then. */
export async function withTimeout<T>(ms: number, what: string, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController()
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort()
      reject(new RetryableError('tool.timeout', `${what} timed out after ${ms} ms`))
    }, ms)
  })
  try {
    return await Promise.race([fn(controller.signal), timeout])
  } finally {
    clearTimeout(timer)
  }
}

/** A result too large for a model's context is replaced by a marked prefix of its JSON, never silently cut. */
export function capResult(output: unknown, maxChars: number): unknown {
  if (output === undefined || output === null || typeof output === 'number' || typeof output === 'boolean') return output ?? null
  const text = typeof output === 'string' ? output : JSON.stringify(output)
  if (text.length <= maxChars) return output
  return { truncated: true, totalChars: text.length, preview: text.slice(0, maxChars) }
}

/**
 * The transaction handle a tool sees, revoked when its call ends. postgres.js would otherwise run a
 * timed-out tool's late queries on the released connection, outside the transaction (or inside someone
 * else's): a revoked handle throws instead.
 */
export function scopedTx<T extends (...args: never[]) => unknown>(tx: T): { db: T; revoke(): void } {
  let revoked = false
  const fail = () => {
    throw new RetryableError('tool.timeout', 'the tool call already ended; its transaction is gone')
  }
  const db = new Proxy(tx, {
    apply: (target, self, args) => (revoked ? fail() : Reflect.apply(target, self, args)),
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver)
      if (!revoked || typeof value !== 'function') return value
      return prop === 'json' || prop === 'array' ? value : fail
    },
  })
  return { db, revoke: () => void (revoked = true) }
}
