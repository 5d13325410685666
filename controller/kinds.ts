// The custom resource kinds the controller reconciles, one entry each, and how each takes effect: every kind is
// a kind of the versioned store, applied through it as the API applies it, and read from there by every process.
import { versionRefusal, type VersionRefusal } from '../lib/routing-rejection.ts'
import { APPLY_ORDER, KINDS, PLATFORM_TENANT, type ResourceKind } from '../resources/index.ts'
import type { Resources, RoutingRejections } from '../storage/index.ts'

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
  /** What the workers report refusing of the RoutingPolicy versions in the store. */
  routingRejections: Pick<RoutingRejections, 'read'>
}

/** What applying one custom resource did. */
export interface Applied {
  /** In force in the store. */
  reason: 'Applied'
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
  /**
   * For a kind each worker compiles for itself (RoutingPolicy): what the workers refuse of `version`, which the
   * store accepted. Undefined when none does.
   */
  refusal?(store: ControllerStore, name: string, version: number): Promise<VersionRefusal | undefined>
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

/** A RoutingPolicy can pass the store and still be refused by a worker that lacks one of its providers. */
function routingPolicyKind(): ControlledKind {
  return {
    ...storeKind('RoutingPolicy'),
    refusal: async (store, name, version) => versionRefusal(name, version, await store.routingRejections.read(name)),
  }
}

/** Every kind the controller watches, in the order they refer to each other. */
export const CONTROLLED_KINDS: readonly ControlledKind[] = APPLY_ORDER.map((kind) => (kind === 'RoutingPolicy' ? routingPolicyKind() : storeKind(kind)))
