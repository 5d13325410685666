// The customer behind a conversation: the first identity given (external id, then email, then phone) finds
// or creates the customer; the others are linked to it unless another customer already holds them.
import { AppError } from '../lib/errors.ts'
import type { Identity, Storage } from '../storage/index.ts'

export interface CustomerIdentity {
  externalId?: string
  email?: string
  phone?: string
  name?: string
}

/** The customer id for these identities, or undefined when none was given. */
export async function identifyCustomer(
  storage: Pick<Storage, 'customers'>, tenantId: string, who: CustomerIdentity, actor: string,
): Promise<string | undefined> {
  const identities: Identity[] = [
    who.externalId ? { kind: 'external' as const, value: who.externalId } : undefined,
    who.email ? { kind: 'email' as const, value: who.email } : undefined,
    who.phone ? { kind: 'phone' as const, value: who.phone } : undefined,
  ].filter((i): i is Identity => i !== undefined)
  const [first, ...others] = identities
  if (!first) return undefined
  const by = { actor, reason: 'conversation started' }
  const { customerId } = await storage.customers.identify(tenantId, first, by)
  for (const identity of others) {
    // An identity held by someone else is never moved silently: the conversation keeps the first match.
    await storage.customers.link(tenantId, customerId, identity, by)
      .catch((e: unknown) => { if (!(e instanceof AppError && e.code === 'conflict')) throw e })
  }
  return customerId
}
