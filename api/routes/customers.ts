// A tenant's customers under data-protection law: the access export (DSAR) of everything held about one, and
// erasure (right to be forgotten) from every tier and queue. A foreign customer answers 404, as an unknown one.
import { Elysia, t } from 'elysia'
import { AppError } from '../../lib/errors.ts'
import type { DequeueConversations, Storage } from '../../storage/index.ts'
import { requestGuard, type GuardDeps } from '../guard.ts'

export interface CustomersRouteDeps extends GuardDeps {
  storage: Pick<Storage, 'customers' | 'eraseCustomer' | 'exportCustomer'>
  /** Sweeps the erased conversations' jobs out of the queues, which storage cannot reach. */
  dequeue: DequeueConversations
}

/** Customer ids as storage issues them: `cus_` and a UUID. */
export const CUSTOMER_ID_PATTERN = '^cus_[0-9a-fA-F-]{36}$'
const CustomerParams = t.Object({ id: t.String({ pattern: CUSTOMER_ID_PATTERN }) })

/**
 * Passes when the tenant holds the customer, or erased it: the export then proves the erasure, and a retried
 * erasure answers again instead of 404. Otherwise not_found, whether the customer is another tenant's or nobody's.
 */
export async function assertTenantCustomer(storage: Pick<Storage, 'customers'>, tenantId: string, customerId: string): Promise<void> {
  if ((await storage.customers.tenantOf(customerId)) !== tenantId) throw new AppError('not_found', `customer ${customerId} not found`)
}

export function customersRoutes(deps: CustomersRouteDeps) {
  return new Elysia({ name: 'customers' })
    .use(requestGuard(deps))
    .get('/v1/customers/:id/export', async ({ params: { id }, tenant }) => {
      await assertTenantCustomer(deps.storage, tenant.tenantId, id)
      return deps.storage.exportCustomer(id)
    }, {
      scope: ['console', 'admin'], params: CustomerParams,
      detail: {
        summary: 'Export everything held about a customer (DSAR)', tags: ['customers'],
        description: 'Identities, their audit trail, past erasures and every conversation from the warm and cold tiers, '
          + 'as one `switchboard.dsar/v1` document. An erased customer\'s export holds only the erasure records.',
      },
    })
    .post('/v1/customers/:id/erase', async ({ params: { id }, body, tenant }) => {
      await assertTenantCustomer(deps.storage, tenant.tenantId, id)
      return deps.storage.eraseCustomer(id, { actor: `key:${tenant.keyId}`, reason: body?.reason }, deps.dequeue)
    }, {
      scope: ['admin'], params: CustomerParams,
      body: t.Optional(t.Object({ reason: t.Optional(t.String({ maxLength: 500 })) }, { additionalProperties: false })),
      detail: {
        summary: 'Erase a customer from every tier and queue (right to be forgotten)', tags: ['customers'],
        description: 'Closes the customer\'s conversations, removes their queued jobs, stored idempotent responses and '
          + 'hot, warm and cold data, then the identities and the customer; answers with what was removed. While a '
          + 'turn of theirs is being handled it answers 409 `conflict` with Retry-After; the conversations stay closed '
          + 'and a retry completes the erasure.',
      },
    })
}
