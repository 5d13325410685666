// Outbound webhook subscriptions of the tenant (create, list, disable) and their deliveries with state.
import { Elysia, t } from 'elysia'
import { AppError } from '../../lib/errors.ts'
import { CONVERSATION_EVENT_TYPES, type Storage } from '../../storage/index.ts'
import { requestGuard, type GuardDeps } from '../guard.ts'
import { QueryInteger, ResourceId } from '../schemas.ts'

export interface WebhooksRouteDeps extends GuardDeps {
  storage: Pick<Storage, 'webhooks'>
}

const EventType = t.Union(CONVERSATION_EVENT_TYPES.map((e) => t.Literal(e)))
const Params = t.Object({ id: ResourceId('whk') })

// Loopback and private targets stay allowed: self-hosted ticketing systems often live on the same network.
const HttpUrl = t.String({ pattern: '^https?://[^\\s]+$', maxLength: 2000 })

export function webhooksRoutes(deps: WebhooksRouteDeps) {
  const find = async (tenantId: string, id: string) => {
    const sub = await deps.storage.webhooks.get(tenantId, id)
    if (!sub) throw new AppError('not_found', `webhook ${id} not found`)
    return sub
  }
  return new Elysia({ name: 'webhooks' })
    .use(requestGuard(deps))
    .post('/v1/webhooks', async ({ body, tenant, set }) => {
      const { subscription, secret } = await deps.storage.webhooks.subscribe(tenant.tenantId, body.url, [...new Set(body.events)])
      set.status = 201
      return { ...subscription, secret }
    }, {
      scope: ['admin'],
      body: t.Object({ url: HttpUrl, events: t.Array(EventType, { minItems: 1, maxItems: CONVERSATION_EVENT_TYPES.length }) }, { additionalProperties: false }),
      detail: { summary: 'Subscribe a URL to events; the signing secret is shown only here', tags: ['webhooks'] },
    })
    .get('/v1/webhooks', async ({ tenant }) => ({ data: await deps.storage.webhooks.list(tenant.tenantId) }),
      { scope: ['admin', 'console'], detail: { summary: 'List webhook subscriptions', tags: ['webhooks'] } })
    .get('/v1/webhooks/:id', ({ params: { id }, tenant }) => find(tenant.tenantId, id),
      { scope: ['admin', 'console'], params: Params, detail: { summary: 'A webhook subscription', tags: ['webhooks'] } })
    .delete('/v1/webhooks/:id', async ({ params: { id }, tenant }) => {
      await find(tenant.tenantId, id)
      await deps.storage.webhooks.disable(tenant.tenantId, id)
      return find(tenant.tenantId, id)
    }, { scope: ['admin'], params: Params, detail: { summary: 'Disable a webhook subscription', tags: ['webhooks'] } })
    .get('/v1/webhooks/:id/deliveries', async ({ params: { id }, query, tenant }) => {
      await find(tenant.tenantId, id)
      return { data: await deps.storage.webhooks.deliveries(tenant.tenantId, id, { status: query.status, limit: query.limit ?? 50 }) }
    }, {
      scope: ['admin', 'console'], params: Params,
      query: t.Object({
        status: t.Optional(t.Union([t.Literal('pending'), t.Literal('delivered'), t.Literal('dead')])),
        limit: t.Optional(QueryInteger('limit', 1, 200)),
      }, { additionalProperties: false }),
      detail: { summary: 'Deliveries of a subscription with their state (pending, delivered, dead)', tags: ['webhooks'] },
    })
}
