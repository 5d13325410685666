// The controller role: while it holds the Lease, it lists and watches every controlled kind in its namespaces
// and reconciles each object into Switchboard; when it loses the Lease it stops watching at once.
import type { Logger } from '../lib/log.ts'
import type { ControlledKind, ControllerStore, CustomResource } from './kinds.ts'
import type { KubeClient, ResourceWatch } from './kube-client.ts'
import { startLeaderElection } from './leader-election.ts'
import { createReconciler } from './reconciler.ts'

export interface ControllerOptions {
  kube: KubeClient
  store: ControllerStore
  kinds: readonly ControlledKind[]
  /** Namespaces whose custom resources are applied (each needs the controller's Role). */
  namespaces: readonly string[]
  /** The Lease lives in the first namespace. */
  leaseName: string
  identity: string
  leaseDurationMs: number
  retryMs: number
  /** How often the workers' refusals of RoutingPolicies are read again for their Loaded condition. */
  refusalPollMs: number
  log: Logger
}

export interface Controller {
  isLeader(): boolean
  /** How many objects of each kind were last accepted or refused, for metrics. */
  counts(): Array<{ kind: string; accepted: number; refused: number }>
  close(): Promise<void>
}

export function startController(o: ControllerOptions): Controller {
  const { kube, log } = o
  const reconciler = createReconciler({
    store: o.store, log, retryMs: o.retryMs,
    writeStatus: (kind, obj, status) => kube.writeStatus(obj.metadata?.namespace ?? o.namespaces[0]!, kind.plural, obj.metadata!.name!, status),
  })
  const accepted = new Map<string, boolean>()
  let watches: ResourceWatch[] = []
  let starting: Promise<void> = Promise.resolve()
  let restarts: Array<ReturnType<typeof setTimeout>> = []
  let refusalPoll: ReturnType<typeof setInterval> | undefined

  const record = (kind: ControlledKind, obj: CustomResource, ok: boolean | undefined) => {
    const key = `${kind.kind}/${obj.metadata?.namespace}/${obj.metadata?.name}`
    if (ok === undefined) accepted.delete(key)
    else accepted.set(key, ok)
  }

  function watchOne(namespace: string, kind: ControlledKind): ResourceWatch {
    const watch: ResourceWatch = kube.watch(namespace, kind.plural, {
      upsert: (obj) => void reconciler.reconcile(kind, obj).then((out) => out && record(kind, obj, out.accepted)),
      removed: (obj) => void reconciler.removed(kind, obj).then(() => record(kind, obj, undefined)),
      failed(error) {
        // A watch that errs stops; list and watch again after a pause (the list brings back anything missed).
        log.warn('watch failed; listing again', { kind: kind.kind, namespace, error: error as Error })
        const timer = setTimeout(() => void watch.start().catch(() => {}), o.retryMs)
        timer.unref?.()
        restarts.push(timer)
      },
    })
    return watch
  }

  /** Started beside the election, never inside it: a slow list must not hold up renewing the Lease. */
  async function startWatching(): Promise<void> {
    // Kinds others refer to are listed first; anything refused for a missing reference is retried as they land.
    const mine = o.namespaces.flatMap((ns) => o.kinds.map((kind) => watchOne(ns, kind)))
    watches = mine
    refusalPoll = setInterval(() => void reconciler.refreshRefusals().catch(() => {}), o.refusalPollMs)
    starting = (async () => {
      for (const w of mine) if (watches === mine) await w.start().catch((error: Error) => log.warn('watch not started', { error }))
    })()
  }

  async function stopWatching(): Promise<void> {
    clearInterval(refusalPoll)
    for (const t of restarts) clearTimeout(t)
    restarts = []
    const stopping = watches
    watches = []
    await Promise.all(stopping.map((w) => w.stop()))
    await starting
    reconciler.reset()
  }

  const election = startLeaderElection(kube.lease(o.namespaces[0]!, o.leaseName), {
    identity: o.identity, leaseDurationMs: o.leaseDurationMs, retryMs: o.retryMs, log,
    onStartedLeading: startWatching, onStoppedLeading: stopWatching,
  })

  return {
    isLeader: () => election.isLeader(),
    counts: () => o.kinds.map((kind) => {
      const mine = [...accepted].filter(([key]) => key.startsWith(`${kind.kind}/`))
      return { kind: kind.kind, accepted: mine.filter(([, ok]) => ok).length, refused: mine.filter(([, ok]) => !ok).length }
    }),
    close: () => election.close(),
  }
}
