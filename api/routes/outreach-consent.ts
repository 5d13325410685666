// Customers' consent to proactive outreach, per channel; the tenant's suppression list; a customer's time zone
// for quiet hours. Customers are named by the tools' own id (the retail user id). Admin scope to change.
import { Elysia, t } from 'elysia'
import { AppError } from '../../lib/errors.ts'
import { isTimeZone, OUTREACH_CHANNELS } from '../../resources/index.ts'
import type { Storage } from '../../storage/index.ts'
import { requestGuard, type GuardDeps } from '../guard.ts'

export interface OutreachConsentRouteDeps extends GuardDeps {
  storage: Pick<Storage, 'outreach'>
}

const CustomerRef = t.String({ pattern: '^[A-Za-z0-9_.@-]{1,128}$' })
const Channel = t.Union(OUTREACH_CHANNELS.map((c) => t.Literal(c)))
const Address = t.String({ minLength: 3, maxLength: 254, pattern: '^[^\\s/]+$' })
const tags = ['outreach']

export function outreachConsentRoutes(deps: OutreachConsentRouteDeps) {
  const { consent } = deps.storage.outreach
  return new Elysia({ name: 'outreach-consent' })
    .use(requestGuard(deps))
    .get('/v1/outreach/customers/:customer/consent', async ({ params: { customer }, tenant }) => ({
      data: (await consent.list(tenant.tenantId, customer)).map((c) => ({ ...c, updatedAt: c.updatedAt.toISOString() })),
    }), { scope: ['console', 'admin'], params: t.Object({ customer: CustomerRef }), detail: { summary: "A customer's consent per channel", tags } })
    .put('/v1/outreach/customers/:customer/consent/:channel', async ({ params: { customer, channel }, body, tenant }) => {
      await consent.set(tenant.tenantId, customer, channel, body.status, `key:${tenant.keyId}`)
      return { customer, channel, status: body.status }
    }, {
      scope: ['admin'], params: t.Object({ customer: CustomerRef, channel: Channel }),
      body: t.Object({ status: t.Union([t.Literal('in'), t.Literal('out')]) }, { additionalProperties: false }),
      detail: { summary: 'Opt a customer in or out of proactive messages on a channel', tags },
    })
    .put('/v1/outreach/customers/:customer/time-zone', async ({ params: { customer }, body, tenant }) => {
      if (!isTimeZone(body.timeZone)) throw new AppError('request.invalid', `unknown time zone "${body.timeZone}"`)
      await consent.setTimeZone(tenant.tenantId, customer, body.timeZone)
      return { customer, timeZone: body.timeZone }
    }, {
      scope: ['admin'], params: t.Object({ customer: CustomerRef }),
      body: t.Object({ timeZone: t.String({ minLength: 1, maxLength: 64 }) }, { additionalProperties: false }),
      detail: { summary: "A customer's time zone, for quiet hours", tags },
    })
    .get('/v1/outreach/suppressions', async ({ tenant }) => ({
      data: (await consent.suppressions(tenant.tenantId)).map((s) => ({ ...s, createdAt: s.createdAt.toISOString() })),
    }), { scope: ['console', 'admin'], detail: { summary: "The tenant's suppression list", tags } })
    .put('/v1/outreach/suppressions/:address', async ({ params: { address }, body, tenant }) => {
      await consent.suppress(tenant.tenantId, address, body?.reason ?? null)
      return { address: address.toLowerCase(), suppressed: true }
    }, {
      scope: ['admin'], params: t.Object({ address: Address }),
      body: t.Optional(t.Object({ reason: t.Optional(t.String({ maxLength: 500 })) }, { additionalProperties: false })),
      detail: { summary: 'Never contact this address, whatever the campaign', tags },
    })
    .delete('/v1/outreach/suppressions/:address', async ({ params: { address }, tenant }) => {
      if (!(await consent.unsuppress(tenant.tenantId, address))) throw new AppError('not_found', `${address} is not suppressed`)
      return { address: address.toLowerCase(), suppressed: false }
    }, { scope: ['admin'], params: t.Object({ address: Address }), detail: { summary: 'Remove an address from the suppression list', tags } })
}
