// Conversation-scoped customer tokens for browsers and apps: a widget holds one instead of a tenant key, and it
// opens exactly one conversation (post, read, stream, rate, close) until it expires. Signed with a key the
// deployment keeps in Postgres, so every API process verifies every other's tokens.
import { createHmac, timingSafeEqual } from 'node:crypto'
import type { DeploymentKeys } from '../storage/index.ts'

export const CUSTOMER_TOKEN_PREFIX = 'sbc.'

export interface CustomerClaims {
  tenantId: string
  conversationId: string
  /** Expiry, epoch ms. */
  expiresAt: number
}

export interface CustomerTokens {
  issue(tenantId: string, conversationId: string): Promise<{ token: string; expiresAt: number }>
  /** The claims of a valid, unexpired token; undefined for anything else. */
  verify(token: string): Promise<CustomerClaims | undefined>
}

const b64 = (b: Buffer | string) => Buffer.from(b).toString('base64url')

export function createCustomerTokens(keys: Pick<DeploymentKeys, 'get'>, ttlMs: number, now: () => number = Date.now): CustomerTokens {
  let key: Promise<Buffer> | undefined
  const signingKey = () => (key ??= keys.get('customer-tokens').catch((e) => ((key = undefined), Promise.reject(e))))
  const sign = async (payload: string) => createHmac('sha256', await signingKey()).update(payload).digest()
  return {
    async issue(tenantId, conversationId) {
      const expiresAt = now() + ttlMs
      const payload = b64(JSON.stringify({ t: tenantId, c: conversationId, e: expiresAt }))
      return { token: `${CUSTOMER_TOKEN_PREFIX}${payload}.${b64(await sign(payload))}`, expiresAt }
    },
    async verify(token) {
      const [payload, signature] = token.slice(CUSTOMER_TOKEN_PREFIX.length).split('.')
      if (!token.startsWith(CUSTOMER_TOKEN_PREFIX) || !payload || !signature) return undefined
      const expected = await sign(payload)
      const given = Buffer.from(signature, 'base64url')
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as { t: string; c: string; e: number }
      return claims.e > now() ? { tenantId: claims.t, conversationId: claims.c, expiresAt: claims.e } : undefined
    },
  }
}
