// Tenant secrets, the credentials its HTTP tools and MCP servers send: written and listed by name with an
// admin key, never read back. Resources refer to them as `secretRef: { secret: <name> }`.
import { Elysia, t } from 'elysia'
import { AppError } from '../../lib/errors.ts'
import { RESOURCE_NAME_PATTERN } from '../../resources/index.ts'
import type { Storage } from '../../storage/index.ts'
import { requestGuard, type GuardDeps } from '../guard.ts'

export interface SecretsRouteDeps extends GuardDeps {
  storage: Pick<Storage, 'secrets'>
}

const NameParams = t.Object({ name: t.String({ pattern: RESOURCE_NAME_PATTERN }) })

export function secretsRoutes(deps: SecretsRouteDeps) {
  const { secrets } = deps.storage
  return new Elysia({ name: 'secrets' })
    .use(requestGuard(deps))
    .get('/v1/secrets', async ({ tenant }) => ({
      data: (await secrets.list(tenant.tenantId)).map((s) => ({ name: s.name, updatedBy: s.updatedBy, updatedAt: s.updatedAt.toISOString() })),
    }), { scope: ['admin'], detail: { summary: "The tenant's secrets by name (values are never returned)", tags: ['secrets'] } })
    .put('/v1/secrets/:name', async ({ params: { name }, body, tenant }) => {
      await secrets.put(tenant.tenantId, name, body.value, `key:${tenant.keyId}`)
      return { name, stored: true }
    }, {
      scope: ['admin'], params: NameParams, body: t.Object({ value: t.String({ minLength: 1, maxLength: 8192 }) }, { additionalProperties: false }),
      detail: { summary: 'Store a secret, sealed with the deployment key', tags: ['secrets'] },
    })
    .delete('/v1/secrets/:name', async ({ params: { name }, tenant }) => {
      if (!(await secrets.delete(tenant.tenantId, name))) throw new AppError('not_found', `secret ${name} not found`)
      return { name, deleted: true }
    }, { scope: ['admin'], params: NameParams, detail: { summary: 'Delete a secret', tags: ['secrets'] } })
}
