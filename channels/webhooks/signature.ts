// Signatures of outbound webhooks: `Switchboard-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">`.
// The timestamp is signed with the body, so a receiver rejects stale requests, and a signature it has already
// seen inside the tolerance window is a replay.
import { createHmac, timingSafeEqual } from 'node:crypto'

export const SIGNATURE_HEADER = 'switchboard-signature'
const DEFAULT_TOLERANCE_S = 300

export function signPayload(secret: string, timestampS: number, body: string): string {
  const mac = createHmac('sha256', secret).update(`${timestampS}.${body}`).digest('hex')
  return `t=${timestampS},v1=${mac}`
}

export type Verification = { ok: true } | { ok: false; reason: 'malformed' | 'mismatch' | 'expired' | 'replayed' }

export interface VerifierOptions {
  /** Oldest (and furthest future) timestamp accepted. @defaultValue 300 */
  toleranceS?: number
  now?: () => number
}

/**
 * A receiver's check: signature, freshness, and no replays within the tolerance window.
 * @example const verify = createWebhookVerifier(secret); verify(req.headers.get('switchboard-signature'), rawBody)
 */
export function createWebhookVerifier(secret: string, options: VerifierOptions = {}) {
  const toleranceS = options.toleranceS ?? DEFAULT_TOLERANCE_S
  const now = options.now ?? Date.now
  const seen = new Map<string, number>()
  return (header: string | null, body: string): Verification => {
    const parts = Object.fromEntries((header ?? '').split(',').map((p) => p.trim().split('=', 2)))
    const t = Number(parts.t)
    if (!Number.isInteger(t) || !/^[0-9a-f]{64}$/.test(parts.v1 ?? '')) return { ok: false, reason: 'malformed' }
    const expected = Buffer.from(signPayload(secret, t, body).split('v1=')[1]!, 'hex')
    if (!timingSafeEqual(expected, Buffer.from(parts.v1!, 'hex'))) return { ok: false, reason: 'mismatch' }
    const nowS = Math.floor(now() / 1000)
    if (Math.abs(nowS - t) > toleranceS) return { ok: false, reason: 'expired' }
    for (const [sig, at] of seen) if (at < nowS - toleranceS) seen.delete(sig)
    if (seen.has(parts.v1!)) return { ok: false, reason: 'replayed' }
    seen.set(parts.v1!, t)
    return { ok: true }
  }
}
