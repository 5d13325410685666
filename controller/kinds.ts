// The custom resource kinds the controller reconciles, one entry each, and how each takes effect: the kinds of
// the versioned store are applied through it; kinds still read from files are checked and reported only.
import { stringify } from 'yaml'
import { SWITCHBOARD_API_VERSION } from '../lib/crd.ts'
import { parseRoutingPolicy } from '../policy/index.ts'
import { APPLY_ORDER, KINDS, PLATFORM_TENANT, type ResourceKind } from '../resources/index.ts'
import { parseRetentionPolicies, type Resources } from '../storage/index.ts'

/** A custom resource as the Kubernetes API serves it (only what the controller reads). */
export interface CustomResource {
  apiVersion?: string
  kind?: string
  metadata?: { name?: string; namespace?: string; generation?: number; resourceVersion?: string }
  spec?: unknown
  status?: unknown
}

/** Where store kinds go: `applyResource` as the operator (by `controller`), and the store for deletions. */
export interface ControllerStore {
  apply(input: { kind: ResourceKind; name: string; spec: unknown }): Promise<{ tenantId: string; version: number; changed: boolean }>
  resources: Pick<Resources, 'get' | 'delete'>
}

/** What applying one custom resource did. */
export interface Applied {
  /** `Applied`: in force in the store; `Validated`: checked, takes effect from its file (see `message`). */
  reason: 'Applied' | 'Validated'
  message: string
  /** The store's version in force (store kinds only). */
  version?: number
  tenant?: string
  /** A new version was written, which may let rejected resources that refer to it through. */
  changed: boolean
}

export interface ControlledKind {
  kind: string
  /** The CRD's plural: the path segment the API serves the kind under. */
  plural: string
  /** Applies one object; throws (`resource.invalid`, `config.invalid`, `conflict`…) when it is refused. */
  apply(store: ControllerStore, name: string, spec: unknown): Promise<Applied>
  /** The custom resource was deleted: take what the controller applied out of force. */
  remove(store: ControllerStore, name: string, spec: unknown): Promise<void>
}

/** Who the controller is in the store's history. */
export const CONTROLLER_BY = 'controller'

const tenantOf = (spec: unknown) => String((spec as { tenant?: unknown } | undefined)?.tenant ?? PLATFORM_TENANT)

/** A kind of the versioned store: applied as the operator, with `spec.tenant` naming the tenant. */
export function storeKind(kind: ResourceKind): ControlledKind {
  return {
    kind, plural: KINDS[kind].plural,
    async apply(store, name, spec) {
      const applied = await store.apply({ kind, name, spec })
      return { reason: 'Applied', message: `version ${applied.version} in force for tenant ${applied.tenantId}`, version: applied.version, tenant: applied.tenantId, changed: applied.changed }
    },
    async remove(store, name, spec) {
      const key = { tenantId: tenantOf(spec), kind, name }
      // Someone who changed it since (the API, the CLI, a file) owns it now: a deleted custom resource leaves it be.
      const current = await store.resources.get(key)
      if (current?.spec && current.createdBy === CONTROLLER_BY) await store.resources.delete(key, CONTROLLER_BY)
    },
  }
}

/** A kind still read from files: the controller checks each document with the file loader and says where it must go. */
function fileKind(kind: string, plural: string, variable: string, check: (text: string) => string | number): ControlledKind {
  return {
    kind, plural,
    async apply(_store, name, spec) {
      const version = check(stringify({ apiVersion: SWITCHBOARD_API_VERSION, kind, metadata: { name }, spec }))
      return { reason: 'Validated', message: `version ${version} is valid; it takes effect from the ${variable} file of the workers`, changed: false }
    },
    remove: async () => {},
  }
}

/** Every kind the controller watches: the store's kinds in the order they refer to each other, then the file kinds. */
export const CONTROLLED_KINDS: readonly ControlledKind[] = [
  ...APPLY_ORDER.map(storeKind),
  fileKind('RoutingPolicy', 'routingpolicies', 'ROUTING_POLICY', (text) => parseRoutingPolicy(text).spec.version),
  fileKind('RetentionPolicy', 'retentionpolicies', 'RETENTION_POLICIES', (text) => parseRetentionPolicies(text)[0]!.spec.version),
]
