// One collection of declarative resources (agents, tools, MCP servers, policies) per kind: read what is in force, create,
// update, delete, and the version history with diffs and restore. Reads need the console scope, writes admin
// (a platform kind is written under /v1/admin/ with the operator's admin token).
import { Elysia, t } from 'elysia'
import { AppError } from '../../lib/errors.ts'
import { diffSpecs, KINDS, PLATFORM_TENANT, RESOURCE_KINDS, RESOURCE_NAME_PATTERN, type ResourceKind } from '../../resources/index.ts'
import type { StoredResource } from '../../storage/index.ts'
import type { TenantPrincipal } from '../auth.ts'
import { requestGuard, type GuardDeps, type RouteScope } from '../guard.ts'
import { applyResource, collectionOf, deleteResource, type Applier, type ApplyDeps } from '../resource-apply.ts'
import type { ResourceStatus } from '../routing-policy-status.ts'

export interface ResourceRouteDeps extends GuardDeps {
  apply: ApplyDeps
  /** What the runtime reports of a kind's resource in force (a RoutingPolicy the workers refuse), read on GET. */
  statusOf?: Partial<Record<ResourceKind, (r: StoredResource) => Promise<ResourceStatus | undefined>>>
}

const NameParams = t.Object({ name: t.String({ pattern: RESOURCE_NAME_PATTERN }) })
const Version = t.Integer({ minimum: 1, maximum: 1_000_000 })
const Spec = t.Record(t.String(), t.Unknown())
const Comment = t.Optional(t.String({ maxLength: 500 }))

/** A resource as the API returns it: where it comes from (the tenant's own, or the platform's) and its version. */
export const resourceView = (r: StoredResource) => ({
  name: r.name, kind: r.kind, scope: r.tenantId === '*' ? 'platform' : 'tenant', version: r.version, spec: r.spec,
  updatedBy: r.createdBy, updatedAt: r.createdAt.toISOString(), comment: r.comment,
})

const who = (tenant: TenantPrincipal): Applier => ({ kind: 'tenant', tenantId: tenant.tenantId, by: `key:${tenant.keyId}` })
/** The tenant a write route resolved (none on a platform kind's routes, which take the admin token). */
const tenantOf = (ctx: object): TenantPrincipal | undefined => (ctx as { tenant?: TenantPrincipal }).tenant

export function resourceRoutes(kind: ResourceKind, deps: ResourceRouteDeps) {
  const base = `/v1/${collectionOf(kind)}`
  const { resources } = deps.apply
  // A platform kind (RoutingPolicy) is read by every tenant from the platform scope and written with the admin token.
  const platform = KINDS[kind].scope === 'platform'
  const key = (tenant: TenantPrincipal | undefined, name: string) => ({ tenantId: platform || !tenant ? PLATFORM_TENANT : tenant.tenantId, kind, name })
  const writers = platform ? { operator: true } : { scope: ['admin'] as RouteScope[] }
  // The admin token is the operator's only under /v1/admin/ (api/guard.ts), so a platform kind is written there.
  const writeBase = platform ? `/v1/admin/${collectionOf(kind)}` : base
  const writer = (tenant: TenantPrincipal | undefined): Applier => (tenant ? who(tenant) : { kind: 'operator', by: 'admin-token' })
  const missing = (name: string) => new AppError('not_found', `${kind} ${name} not found`)
  const statusOf = deps.statusOf?.[kind]
  const inForceView = async (r: StoredResource) => {
    const status = await statusOf?.(r)
    return status ? { ...resourceView(r), status } : resourceView(r)
  }
  const tags = [collectionOf(kind)]
  const routes = new Elysia({ name: `resources-${kind}` })
    .use(requestGuard(deps))
    .get(base, async ({ tenant }) => ({ data: await Promise.all((await resources.list(tenant.tenantId, kind)).map(inForceView)) }),
      { scope: ['console', 'admin'], detail: { summary: `${kind} resources in force (the tenant's own over the platform's)`, tags } })
    .get(`${base}/:name`, async ({ params: { name }, tenant }) => {
      const found = await resources.resolve(key(tenant, name))
      if (!found) throw missing(name)
      return inForceView(found)
    }, { scope: ['console', 'admin'], params: NameParams, detail: { summary: `The ${kind} in force, with its version`, tags } })
    .post(writeBase, async ({ body, set, ...ctx }) => {
      const tenant = tenantOf(ctx)
      if (await resources.get(key(tenant, body.name))) throw new AppError('conflict', `${kind} ${body.name} exists: update it with PUT`)
      const applied = await applyResource(deps.apply, writer(tenant), { kind, name: body.name, spec: body.spec, comment: body.comment, expectedVersion: 0 })
      set.status = 201
      return resourceView(applied.resource)
    }, {
      ...writers, body: t.Object({ name: t.String({ pattern: RESOURCE_NAME_PATTERN }), spec: Spec, comment: Comment }, { additionalProperties: false }),
      detail: { summary: `Create a ${kind} (version 1)`, tags },
    })
    .put(`${writeBase}/:name`, async ({ params: { name }, body, ...ctx }) => {
      const applied = await applyResource(deps.apply, writer(tenantOf(ctx)), { kind, name, spec: body.spec, comment: body.comment, expectedVersion: body.expectedVersion })
      return { ...resourceView(applied.resource), changed: applied.changed }
    }, {
      ...writers, params: NameParams,
      body: t.Object({ spec: Spec, comment: Comment, expectedVersion: t.Optional(t.Integer({ minimum: 0 })) }, { additionalProperties: false }),
      detail: { summary: `Create or update a ${kind}: a new version when the spec changed`, tags },
    })
    .delete(`${writeBase}/:name`, async ({ params: { name }, ...ctx }) => {
      const tenant = tenantOf(ctx)
      const deleted = await deleteResource(deps.apply, key(tenant, name), writer(tenant).by)
      if (!deleted) throw missing(name)
      return { name, deleted: true, version: deleted.version }
    }, { ...writers, params: NameParams, detail: { summary: `Delete the tenant's ${kind} (its history is kept)`, tags } })
    .get(`${base}/:name/versions`, async ({ params: { name }, tenant }) => {
      const history = await resources.history(key(tenant, name))
      if (history.length === 0) throw missing(name)
      return { data: history.map(resourceView) }
    }, { scope: ['console', 'admin'], params: NameParams, detail: { summary: `Every version of the tenant's ${kind}, newest first`, tags } })
    .get(`${base}/:name/versions/:version`, async ({ params: { name, version }, tenant }) => {
      const found = await resources.version(key(tenant, name), version)
      if (!found) throw new AppError('not_found', `${kind} ${name} has no version ${version}`)
      return resourceView(found)
    }, { scope: ['console', 'admin'], params: t.Object({ name: NameParams.properties.name, version: Version }), detail: { summary: `One version of a ${kind}`, tags } })
    .get(`${base}/:name/diff`, async ({ params: { name }, query, tenant }) => {
      const [from, to] = await Promise.all([resources.version(key(tenant, name), query.from), resources.version(key(tenant, name), query.to)])
      if (!from || !to) throw new AppError('not_found', `${kind} ${name} has no version ${!from ? query.from : query.to}`)
      return { name, from: query.from, to: query.to, changes: diffSpecs(from.spec ?? {}, to.spec ?? {}) }
    }, {
      scope: ['console', 'admin'], params: NameParams, query: t.Object({ from: Version, to: Version }, { additionalProperties: false }),
      detail: { summary: `What changed between two versions of a ${kind}`, tags },
    })
    .post(`${writeBase}/:name/restore`, async ({ params: { name }, body, ...ctx }) => {
      const tenant = tenantOf(ctx)
      const old = await resources.version(key(tenant, name), body.version)
      if (!old?.spec) throw new AppError('not_found', `${kind} ${name} has no version ${body.version} to restore`)
      const applied = await applyResource(deps.apply, writer(tenant), { kind, name, spec: old.spec, comment: `restored from version ${body.version}` })
      return { ...resourceView(applied.resource), changed: applied.changed }
    }, {
      ...writers, params: NameParams, body: t.Object({ version: Version }, { additionalProperties: false }),
      detail: { summary: `Restore an earlier version of a ${kind} (written as a new version)`, tags },
    })
  if (!platform) return routes
  // A tenant writing a platform document is told where the operator writes it, not sent a bare 404.
  const refuse = () => {
    throw new AppError('auth.forbidden', `${kind} is a platform document: the operator writes it at ${writeBase} with the admin token (or applies it as a file or custom resource)`)
  }
  const refused = { scope: ['admin'] as RouteScope[], detail: { hide: true } }
  return routes.post(base, refuse, refused).put(`${base}/:name`, refuse, refused).delete(`${base}/:name`, refuse, refused).post(`${base}/:name/restore`, refuse, refused)
}

/** Every kind of the resources table, each its own collection: a new kind is served without a line here. */
export function resourceCollections(deps: ResourceRouteDeps) {
  // Typed as a plain plugin: the routes' own types would make the app's chain too deep for the compiler.
  let collections = new Elysia({ name: 'resource-collections' })
  for (const kind of RESOURCE_KINDS) collections = collections.use(resourceRoutes(kind, deps)) as unknown as typeof collections
  return collections
}
