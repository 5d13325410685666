// The operator's routes (SWITCHBOARD_ADMIN_TOKEN): create and list tenants, and issue or revoke their keys.
import { Elysia, t, type Static } from 'elysia'
import { AppError } from '../../lib/errors.ts'
import type { Storage } from '../../storage/index.ts'
import { requestGuard, type GuardDeps } from '../guard.ts'
import { ResourceId } from '../schemas.ts'
import { KeyBody, keyView } from './keys.ts'

export interface AdminRouteDeps extends GuardDeps {
  storage: Pick<Storage, 'tenants' | 'apiKeys'>
}

export const TENANT_ID_PATTERN = '^[A-Za-z0-9_-]{1,64}$'
const TenantParams = t.Object({ tenantId: t.String({ pattern: TENANT_ID_PATTERN }) })

const TenantBody = t.Object({
  id: t.Optional(t.String({ pattern: TENANT_ID_PATTERN })),
  name: t.String({ minLength: 1, maxLength: 200 }),
  rateLimitPerS: t.Optional(t.Integer({ minimum: 1, maximum: 1_000_000 })),
}, { additionalProperties: false })

/** A tenant is useless without a key, so it is born with an admin key (shown once). */
async function createTenant(deps: AdminRouteDeps, body: Static<typeof TenantBody>) {
  const tenant = await deps.storage.tenants.create({ id: body.id, name: body.name, rateLimitPerS: body.rateLimitPerS })
  if (!tenant) throw new AppError('conflict', `tenant ${body.id} already exists`)
  const issued = await deps.storage.apiKeys.issue(tenant.id, ['channel', 'console', 'admin'], { name: 'initial admin key' })
  return { tenant, key: { ...keyView(issued.record), key: issued.key } }
}

export function adminRoutes(deps: AdminRouteDeps) {
  const tenantOr404 = async (id: string) => {
    const tenant = await deps.storage.tenants.get(id)
    if (!tenant) throw new AppError('not_found', `tenant ${id} not found`)
    return tenant
  }
  return new Elysia({ name: 'admin' })
    .use(requestGuard(deps))
    .post('/v1/admin/tenants', async ({ body, set }) => {
      const created = await createTenant(deps, body)
      set.status = 201
      return created
    }, { operator: true, body: TenantBody, detail: { summary: 'Create a tenant and its first admin key', tags: ['admin'] } })
    .get('/v1/admin/tenants', async () => ({ data: await deps.storage.tenants.list() }),
      { operator: true, detail: { summary: 'List tenants', tags: ['admin'] } })
    .post('/v1/admin/tenants/:tenantId/keys', async ({ params: { tenantId }, body, set }) => {
      await tenantOr404(tenantId)
      const issued = await deps.storage.apiKeys.issue(tenantId, [...new Set(body.scopes)], { name: body.name })
      set.status = 201
      return { ...keyView(issued.record), key: issued.key }
    }, { operator: true, params: TenantParams, body: KeyBody, detail: { summary: "Issue a key for a tenant", tags: ['admin'] } })
    .get('/v1/admin/tenants/:tenantId/keys', async ({ params: { tenantId } }) => {
      await tenantOr404(tenantId)
      return { data: (await deps.storage.apiKeys.list(tenantId)).map(keyView) }
    }, { operator: true, params: TenantParams, detail: { summary: "List a tenant's keys", tags: ['admin'] } })
    .post('/v1/admin/tenants/:tenantId/keys/:keyId/revoke', async ({ params: { tenantId, keyId } }) => {
      if (!(await deps.storage.apiKeys.revoke(tenantId, keyId))) throw new AppError('not_found', `key ${keyId} not found`)
      deps.keys.forget(keyId)
      return { id: keyId, revoked: true }
    }, {
      operator: true, params: t.Object({ tenantId: t.String({ pattern: TENANT_ID_PATTERN }), keyId: ResourceId('key') }),
      detail: { summary: "Revoke a tenant's key", tags: ['admin'] },
    })
}
