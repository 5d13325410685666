// A customer's segment (a plan, a VIP flag), which routing rules and the KPIs match on. Set by the tenant's
// own systems with an admin or console key; a foreign customer answers 404 like an unknown one.
import { Elysia, t } from 'elysia'
import { AppError } from '../../lib/errors.ts'
import type { Storage } from '../../storage/index.ts'
import { requestGuard, type GuardDeps } from '../guard.ts'
import { CUSTOMER_ID_PATTERN } from './customers.ts'

export interface CustomerSegmentsRouteDeps extends GuardDeps {
  storage: Pick<Storage, 'customers'>
}

export function customerSegmentsRoutes(deps: CustomerSegmentsRouteDeps) {
  return new Elysia({ name: 'customer-segments' })
    .use(requestGuard(deps))
    .put('/v1/customers/:id/segment', async ({ params: { id }, body, tenant }) => {
      if (!(await deps.storage.customers.setSegment(tenant.tenantId, id, body.segment))) throw new AppError('not_found', `customer ${id} not found`)
      return { customerId: id, segment: body.segment }
    }, {
      scope: ['console', 'admin'], params: t.Object({ id: t.String({ pattern: CUSTOMER_ID_PATTERN }) }),
      body: t.Object({ segment: t.Union([t.String({ pattern: '^[A-Za-z0-9_.-]{1,64}$' }), t.Null()]) }, { additionalProperties: false }),
      detail: { summary: "Set a customer's segment (null clears it): routing rules and KPIs match on it", tags: ['customers'] },
    })
}
