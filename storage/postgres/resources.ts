// The versioned store of declarative resources: apply (a new version only when the spec changed), delete,
// restore, history and resolution (the tenant's own resource, else the platform's). Specs are opaque JSON
// here; resources/ validates them before they are applied.
import type { Sql } from './client.ts'

/** The platform scope: resources every tenant sees unless it has its own of the same name. */
const PLATFORM = '*'

export interface StoredResource {
  tenantId: string
  kind: string
  name: string
  version: number
  /** Null in the version that deleted the resource. */
  spec: Record<string, unknown> | null
  createdBy: string
  comment: string | null
  createdAt: Date
}

export interface ResourceKey {
  tenantId: string
  kind: string
  name: string
}

export interface ApplyRequest extends ResourceKey {
  spec: Record<string, unknown>
  /** Who: `key:<id>`, `operator`, `file:<path>`, `cli`, `controller`. */
  by: string
  comment?: string
  /** Refuse unless the newest version is this one (optimistic concurrency). */
  expectedVersion?: number
}

/** The version in force, and whether this call wrote it (false: the spec was already the newest). */
export type ApplyOutcome = { ok: true; resource: StoredResource; changed: boolean } | { ok: false; reason: 'version_conflict'; current: number }

const columns = `tenant_id as "tenantId", kind, name, version, spec, created_by as "createdBy", comment, created_at as "createdAt"`

/** JSON with object keys sorted: jsonb keeps its own key order, so equal specs must compare equal regardless. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`
  if (typeof value !== 'object' || value === null) return JSON.stringify(value)
  return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(',')}}`
}

export function createResources(sql: Sql) {
  const latest = async (db: Sql, k: ResourceKey): Promise<StoredResource | undefined> => {
    const [row] = await db<StoredResource[]>`select ${db.unsafe(columns)} from resource_versions
      where tenant_id = ${k.tenantId} and kind = ${k.kind} and name = ${k.name} order by version desc limit 1`
    return row
  }
  /** Writes the next version under a per-resource lock, so two writers never take the same number. */
  const write = (k: ResourceKey, spec: Record<string, unknown> | null, by: string, comment: string | undefined, expected?: number) =>
    sql.begin(async (tx) => {
      await tx`select pg_advisory_xact_lock(hashtext(${`${k.tenantId}/${k.kind}/${k.name}`}))`
      const db = tx as unknown as Sql
      const current = await latest(db, k)
      if (expected !== undefined && (current?.version ?? 0) !== expected) return { ok: false as const, reason: 'version_conflict' as const, current: current?.version ?? 0 }
      if (current && canonical(current.spec) === canonical(spec)) return { ok: true as const, resource: current, changed: false }
      const [row] = await tx<StoredResource[]>`insert into resource_versions (tenant_id, kind, name, version, spec, created_by, comment)
        values (${k.tenantId}, ${k.kind}, ${k.name}, ${(current?.version ?? 0) + 1}, ${spec === null ? null : tx.json(spec as never)}, ${by}, ${comment ?? null})
        returning ${tx.unsafe(columns)}`
      return { ok: true as const, resource: row!, changed: true }
    })
  return {
    async apply(req: ApplyRequest): Promise<ApplyOutcome> {
      return write(req, req.spec, req.by, req.comment, req.expectedVersion)
    },
    /** Writes a deletion; undefined when there is nothing in force to delete. */
    async delete(k: ResourceKey, by: string): Promise<StoredResource | undefined> {
      const current = await latest(sql, k)
      if (!current?.spec) return undefined
      const outcome = await write(k, null, by, 'deleted')
      return outcome.ok ? outcome.resource : undefined
    },
    /** The tenant's own resource in force (not the platform's). */
    async get(k: ResourceKey): Promise<StoredResource | undefined> {
      const row = await latest(sql, k)
      return row?.spec ? row : undefined
    },
    async version(k: ResourceKey, version: number): Promise<StoredResource | undefined> {
      const [row] = await sql<StoredResource[]>`select ${sql.unsafe(columns)} from resource_versions
        where tenant_id = ${k.tenantId} and kind = ${k.kind} and name = ${k.name} and version = ${version}`
      return row
    },
    /** What is in force for the tenant: its own resource, else the platform's of that name. */
    async resolve(k: ResourceKey): Promise<StoredResource | undefined> {
      const rows = await sql<StoredResource[]>`select distinct on (tenant_id) ${sql.unsafe(columns)} from resource_versions
        where tenant_id in (${k.tenantId}, ${PLATFORM}) and kind = ${k.kind} and name = ${k.name}
        order by tenant_id, version desc`
      const own = rows.find((r) => r.tenantId === k.tenantId && r.tenantId !== PLATFORM)
      if (own?.spec) return own
      const platform = rows.find((r) => r.tenantId === PLATFORM)
      return platform?.spec ? platform : undefined
    },
    /** Every version of one resource of the tenant's, newest first. */
    async history(k: ResourceKey): Promise<StoredResource[]> {
      return sql<StoredResource[]>`select ${sql.unsafe(columns)} from resource_versions
        where tenant_id = ${k.tenantId} and kind = ${k.kind} and name = ${k.name} order by version desc`
    },
    /** Every tenant's resources of a kind in force, and the platform's: what a platform-wide reader (retention, routing) applies. */
    async inForce(kind: string): Promise<StoredResource[]> {
      const rows = await sql<StoredResource[]>`select distinct on (tenant_id, name) ${sql.unsafe(columns)} from resource_versions
        where kind = ${kind} order by tenant_id, name, version desc`
      return rows.filter((r) => r.spec !== null)
    },
    /** What is in force for the tenant, by name: its own resources over the platform's. */
    async list(tenantId: string, kind: string): Promise<StoredResource[]> {
      const rows = await sql<StoredResource[]>`select distinct on (tenant_id, name) ${sql.unsafe(columns)} from resource_versions
        where tenant_id in (${tenantId}, ${PLATFORM}) and kind = ${kind} order by tenant_id, name, version desc`
      const own = new Map(rows.filter((r) => r.tenantId === tenantId && tenantId !== PLATFORM).map((r) => [r.name, r]))
      const merged = rows.filter((r) => r.tenantId === PLATFORM && !own.get(r.name)?.spec).concat([...own.values()])
      return merged.filter((r) => r.spec !== null).sort((a, b) => a.name.localeCompare(b.name))
    },
  }
}
export type Resources = ReturnType<typeof createResources>
