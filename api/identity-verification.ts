// Identity verification: an identity a channel asserts (an email in a widget's create call) is only a claim. It
// is verified when the tenant's backend signed it: `identityToken` is the hex HMAC-SHA256 of the customer's
// external id (or, without one, their email) under the tenant's secret named `identity-verification`, as
// Intercom's and Chatwoot's identity verification do.
import { createHmac, timingSafeEqual } from 'node:crypto'
import { AppError } from '../lib/errors.ts'
import type { Secrets } from '../storage/index.ts'

export const IDENTITY_SECRET = 'identity-verification'

/** The value the tenant's backend signs. */
export const signedIdentity = (customer: { externalId?: string; email?: string }) => customer.externalId ?? customer.email?.toLowerCase()

/** Whether the identity is verified: false without a token; a forged token is refused, never taken as a claim. */
export async function verifyIdentity(
  secrets: Pick<Secrets, 'reveal'>, tenantId: string, customer: { externalId?: string; email?: string; identityToken?: string },
): Promise<boolean> {
  if (!customer.identityToken) return false
  const identity = signedIdentity(customer)
  if (!identity) throw new AppError('request.invalid', 'an identityToken signs the customer\'s externalId or email: give one')
  const secret = await secrets.reveal(tenantId, IDENTITY_SECRET)
  if (!secret) throw new AppError('auth.forbidden', `identity verification is not set up: store the tenant secret "${IDENTITY_SECRET}"`)
  const expected = createHmac('sha256', secret).update(identity).digest()
  const given = Buffer.from(customer.identityToken, 'hex')
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new AppError('auth.invalid', 'the identityToken does not match the customer\'s identity')
  return true
}
