// A tenant's own API keys, managed with an admin-scoped key: issue (plaintext shown once), list, revoke.
import { Elysia, t } from 'elysia'
import { AppError } from '../../lib/errors.ts'
import { SCOPES, type ApiKey, type Storage } from '../../storage/index.ts'
import { requestGuard, type GuardDeps } from '../guard.ts'
import { ResourceId } from '../schemas.ts'

export interface KeysRouteDeps extends GuardDeps {
  storage: Pick<Storage, 'apiKeys'>
}

export const KeyBody = t.Object({
  scopes: t.Array(t.Union(SCOPES.map((s) => t.Literal(s))), { minItems: 1, maxItems: 3 }),
  name: t.Optional(t.String({ maxLength: 100 })),
}, { additionalProperties: false })

export const keyView = (k: ApiKey) => ({
  id: k.id, prefix: k.prefix, name: k.name, scopes: k.scopes, createdAt: k.createdAt.toISOString(),
  revokedAt: k.revokedAt?.toISOString() ?? null,
})

export function keysRoutes(deps: KeysRouteDeps) {
  return new Elysia({ name: 'keys' })
    .use(requestGuard(deps))
    .post('/v1/keys', async ({ body, tenant, set }) => {
      const issued = await deps.storage.apiKeys.issue(tenant.tenantId, [...new Set(body.scopes)], { name: body.name })
      set.status = 201
      return { ...keyView(issued.record), key: issued.key }
    }, { scope: ['admin'], body: KeyBody, detail: { summary: 'Issue an API key (the key is shown only here)', tags: ['keys'] } })
    .get('/v1/keys', async ({ tenant }) => ({ data: (await deps.storage.apiKeys.list(tenant.tenantId)).map(keyView) }),
      { scope: ['admin'], detail: { summary: 'List API keys', tags: ['keys'] } })
    .post('/v1/keys/:id/revoke', async ({ params: { id }, tenant }) => {
      if (!(await deps.storage.apiKeys.revoke(tenant.tenantId, id))) throw new AppError('not_found', `key ${id} not found`)
      deps.keys.forget(id)
      return { id, revoked: true }
    }, { scope: ['admin'], params: t.Object({ id: ResourceId('key') }), detail: { summary: 'Revoke an API key', tags: ['keys'] } })
}
