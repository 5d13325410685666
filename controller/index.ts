// The Kubernetes controller: custom resources in, Switchboard's versioned store out, status conditions back.
// The only place that talks to a Kubernetes API server.

/**
 * Starts leader election; while leading, lists and watches every kind in `kinds` and reconciles each object.
 * @example
 * const controller = startController({ kube: createKubeClient(), store, kinds: CONTROLLED_KINDS, namespaces: ['switchboard'],
 *   leaseName: 'switchboard-controller', identity: podName, leaseDurationMs: 15_000, retryMs: 2000, refusalPollMs: 1000, log })
 */
export { startController, type Controller, type ControllerOptions } from './controller.ts'
/** The API server client: `{ server }` for a given URL, else KUBECONFIG or the pod's service account. */
export { createKubeClient, type KubeClient, type KubeClientOptions, type ResourceWatch, type WatchHandlers } from './kube-client.ts'
/**
 * The kinds the controller reconciles; a kind of the store is `storeKind('Name')`, so adding one is one line
 * (none at all when it joins `APPLY_ORDER` in resources/).
 */
export {
  CONTROLLED_KINDS, CONTROLLER_BY, storeKind, type Applied, type ControlledKind, type ControllerStore, type CustomResource,
} from './kinds.ts'
/** Applies one object and writes its `Accepted` condition; retries refused ones when a reference lands. */
export { createReconciler, type Reconciler, type ReconcilerDeps } from './reconciler.ts'
export { nextStatus, type Condition, type Outcome, type ResourceStatus } from './status.ts'
/** Lease-based leader election (client-go's algorithm) over any `LeaseApi`. */
export { startLeaderElection, microTime, type LeaderElection, type LeaderElectionOptions, type LeaseApi, type LeaseRecord, type StoredLease } from './leader-election.ts'
