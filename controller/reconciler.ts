// Reconciling custom resources into Switchboard, one at a time and in arrival order: apply the spec, write the
// Accepted condition back, and retry what was refused for a missing reference once something new is in force.
// A RoutingPolicy the store accepted can still be refused by the workers that compile it: their reports are read
// again on every `refreshRefusals`, and mirrored as its Loaded condition.
// Knows nothing of HTTP or watches: the controller feeds it objects and gives it a status writer.
import { AppError, RetryableError, isConnectionError } from '../lib/errors.ts'
import type { Logger } from '../lib/log.ts'
import type { ControlledKind, ControllerStore, CustomResource } from './kinds.ts'
import { nextStatus, sameStatus, withRefusals, type Outcome, type Refusals, type ResourceStatus } from './status.ts'

export interface ReconcilerDeps {
  store: ControllerStore
  /** Writes `status` on the object's status subresource. */
  writeStatus(kind: ControlledKind, obj: CustomResource, status: ResourceStatus): Promise<void>
  log: Logger
  /** How long a resource that met a store failure waits before it is tried again. @defaultValue 5000 */
  retryMs?: number
  now?: () => Date
}

export interface Reconciler {
  /** Applies one object (added, changed, or listed again) and writes its status. */
  reconcile(kind: ControlledKind, obj: CustomResource): Promise<Outcome | undefined>
  /** The object was deleted from the cluster. */
  removed(kind: ControlledKind, obj: CustomResource): Promise<void>
  /** Reads the workers' refusals of each RoutingPolicy in force again, and writes the statuses they change. */
  refreshRefusals(): Promise<void>
  /** Forgets pending retries (leadership lost, or closing). */
  reset(): void
}

const keyOf = (kind: ControlledKind, obj: CustomResource) => `${kind.kind}/${obj.metadata?.namespace ?? ''}/${obj.metadata?.name ?? ''}`

/** A refused spec is data for the status, not a failure of the controller. */
function refusal(e: unknown): Outcome & { accepted: false } {
  if (e instanceof AppError && (e.code === 'resource.invalid' || e.code === 'config.invalid')) return { accepted: false, reason: 'Invalid', message: e.message }
  if (e instanceof AppError && e.code === 'conflict') return { accepted: false, reason: 'Conflict', message: e.message }
  // Never an internal message on the resource: it is read by everyone who can `kubectl get` it.
  const what = isConnectionError(e) || e instanceof RetryableError ? 'the store is unreachable' : 'applying it failed'
  return { accepted: false, reason: 'Retrying', message: `${what}; the controller retries` }
}

export function createReconciler(deps: ReconcilerDeps): Reconciler {
  const { log } = deps
  const now = deps.now ?? (() => new Date())
  const refused = new Map<string, { kind: ControlledKind; obj: CustomResource }>()
  // Objects of kinds workers may refuse, each with the status last written for it.
  const refusable = new Map<string, { kind: ControlledKind; obj: CustomResource }>()
  const retries = new Map<string, ReturnType<typeof setTimeout>>()
  let queue: Promise<unknown> = Promise.resolve()
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const next = queue.then(fn)
    queue = next.catch(() => {})
    return next
  }

  async function applyOne(kind: ControlledKind, obj: CustomResource): Promise<Outcome> {
    const name = obj.metadata?.name ?? ''
    let outcome: Outcome
    try {
      outcome = { accepted: true, ...(await kind.apply(deps.store, name, obj.spec)) }
    } catch (e) {
      outcome = refusal(e)
      if (outcome.reason === 'Retrying') log.warn('custom resource not applied; retrying', { resource: keyOf(kind, obj), error: e as Error })
    }
    const inForce = outcome.accepted ? outcome.version : (obj.status as Partial<ResourceStatus> | undefined)?.appliedVersion
    const status = nextStatus(obj.status, obj.metadata?.generation, outcome, now(), await refusalsOf(kind, name, inForce))
    await writeIfChanged(kind, obj, status)
    return outcome
  }

  async function refusalsOf(kind: ControlledKind, name: string, version: number | undefined): Promise<Refusals> {
    if (!kind.refusal || version === undefined) return undefined
    return kind.refusal(deps.store, name, version).catch((error: Error) => {
      log.warn('worker refusals not read; the Loaded condition stays as it was', { kind: kind.kind, name, error })
      return 'unknown' as const
    })
  }

  async function writeIfChanged(kind: ControlledKind, obj: CustomResource, status: ResourceStatus): Promise<void> {
    const key = keyOf(kind, obj)
    if (kind.refusal) refusable.set(key, { kind, obj: { ...obj, status } })
    if (sameStatus(obj.status, status)) return
    await deps.writeStatus(kind, obj, status).catch((error: Error) => {
      log.warn('status not written', { resource: key, error })
      // Written again on the next refresh, which compares against what the cluster still holds.
      if (kind.refusal) refusable.set(key, { kind, obj })
    })
  }

  /** Tries the newest copy of the object again later: an event in between may have replaced it. */
  function scheduleRetry(key: string): void {
    if (retries.has(key)) return
    const timer = setTimeout(() => {
      retries.delete(key)
      const waiting = refused.get(key)
      if (waiting) void reconcile(waiting.kind, waiting.obj).catch(() => {})
    }, deps.retryMs ?? 5000)
    timer.unref?.()
    retries.set(key, timer)
  }

  async function track(kind: ControlledKind, obj: CustomResource, outcome: Outcome): Promise<void> {
    const key = keyOf(kind, obj)
    if (outcome.accepted) refused.delete(key)
    else refused.set(key, { kind, obj: { ...obj, status: nextStatus(obj.status, obj.metadata?.generation, outcome, now()) } })
    if (!outcome.accepted && outcome.reason === 'Retrying') scheduleRetry(key)
    if (!outcome.accepted || !outcome.changed) return
    // An Agent refused for a Tool that was not there yet goes through now that the Tool is.
    for (const [other, waiting] of [...refused]) {
      if (other === key) continue
      const retried = await applyOne(waiting.kind, waiting.obj)
      if (retried.accepted) refused.delete(other)
    }
  }

  function reconcile(kind: ControlledKind, obj: CustomResource): Promise<Outcome | undefined> {
    return serial(async () => {
      if (!obj.metadata?.name) return undefined
      const outcome = await applyOne(kind, obj)
      await track(kind, obj, outcome)
      if (outcome.accepted && outcome.changed) log.info('custom resource applied', { resource: keyOf(kind, obj), version: outcome.version })
      return outcome
    })
  }

  return {
    reconcile,
    refreshRefusals: () => serial(async () => {
      for (const { kind, obj } of [...refusable.values()]) {
        const status = obj.status as ResourceStatus | undefined
        if (!status) continue
        await writeIfChanged(kind, obj, withRefusals(status, await refusalsOf(kind, obj.metadata!.name!, status.appliedVersion), now()))
      }
    }),
    removed: (kind, obj) => serial(async () => {
      const key = keyOf(kind, obj)
      refused.delete(key)
      refusable.delete(key)
      clearTimeout(retries.get(key))
      retries.delete(key)
      if (!obj.metadata?.name) return
      await kind.remove(deps.store, obj.metadata.name, obj.spec)
        .catch((error: Error) => log.warn('deleted custom resource not removed from the store', { resource: key, error }))
    }),
    reset() {
      for (const timer of retries.values()) clearTimeout(timer)
      retries.clear()
      refused.clear()
      refusable.clear()
    },
  }
}
