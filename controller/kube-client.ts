// The controller's side of the Kubernetes API, on @kubernetes/client-node (imported here and nowhere else but
// this folder): list+watch informers of custom resources, status writes, and the Lease of the election.
import {
  ApiException, CoordinationV1Api, CustomObjectsApi, KubeConfig, PatchStrategy, makeInformer, setHeaderOptions,
  type Informer, type KubernetesListObject, type KubernetesObject, type V1Lease,
} from '@kubernetes/client-node'
import { SWITCHBOARD_API_VERSION } from '../lib/crd.ts'
import type { CustomResource } from './kinds.ts'
import type { LeaseApi, LeaseRecord, StoredLease } from './leader-election.ts'
import type { ResourceStatus } from './status.ts'

export interface KubeClientOptions {
  /** An API server URL (tests, a local proxy); unset reads KUBECONFIG or the pod's service account. */
  server?: string
  token?: string
}

export interface WatchHandlers {
  upsert(obj: CustomResource): void
  removed(obj: CustomResource): void
  /** The watch failed (not merely ended): the caller restarts it. */
  failed(error: unknown): void
}

export interface ResourceWatch {
  start(): Promise<void>
  stop(): Promise<void>
}

export interface KubeClient {
  /** An informer over one plural in one namespace: the initial list, then watch events from its resourceVersion. */
  watch(namespace: string, plural: string, handlers: WatchHandlers): ResourceWatch
  writeStatus(namespace: string, plural: string, name: string, status: ResourceStatus): Promise<void>
  lease(namespace: string, name: string): LeaseApi
}

const [GROUP, VERSION] = SWITCHBOARD_API_VERSION.split('/') as [string, string]

function kubeConfig(options: KubeClientOptions): KubeConfig {
  const kc = new KubeConfig()
  if (!options.server) {
    kc.loadFromDefault()
    return kc
  }
  kc.loadFromOptions({
    // client-node refuses plain http unless told there is no TLS to verify (a loopback server, `kubectl proxy`).
    clusters: [{ name: 'switchboard', server: options.server, skipTLSVerify: options.server.startsWith('http:') }],
    users: [{ name: 'switchboard', ...(options.token ? { token: options.token } : {}) }],
    contexts: [{ name: 'switchboard', cluster: 'switchboard', user: 'switchboard' }],
    currentContext: 'switchboard',
  })
  return kc
}

/** 409: someone else wrote the Lease first. */
const lostRace = (e: unknown) => (e instanceof ApiException && e.code === 409 ? undefined : Promise.reject(e))
const stored = (lease: V1Lease): StoredLease => ({ resourceVersion: lease.metadata?.resourceVersion ?? '', spec: { ...(lease.spec as LeaseRecord) } })
// MicroTime fields go out as the strings the election formats (client-node would send Dates with milliseconds).
const leaseSpec = (spec: LeaseRecord) => spec as unknown as V1Lease['spec']

function leaseApi(api: CoordinationV1Api, namespace: string, name: string): LeaseApi {
  return {
    read: () => api.readNamespacedLease({ namespace, name }).then(stored, (e: unknown) => (e instanceof ApiException && e.code === 404 ? undefined : Promise.reject(e))),
    create: (spec) => api.createNamespacedLease({ namespace, body: { metadata: { name, namespace }, spec: leaseSpec(spec) } }).then(stored, lostRace),
    replace: (resourceVersion, spec) => api.replaceNamespacedLease({ namespace, name, body: { metadata: { name, namespace, resourceVersion }, spec: leaseSpec(spec) } })
      .then(stored, lostRace),
  }
}

export function createKubeClient(options: KubeClientOptions = {}): KubeClient {
  const kc = kubeConfig(options)
  const custom = kc.makeApiClient(CustomObjectsApi)
  const coordination = kc.makeApiClient(CoordinationV1Api)
  return {
    watch(namespace, plural, handlers) {
      const list = () => custom.listNamespacedCustomObject({ group: GROUP, version: VERSION, namespace, plural }) as Promise<KubernetesListObject<KubernetesObject>>
      const informer: Informer<KubernetesObject> = makeInformer(kc, `/apis/${GROUP}/${VERSION}/namespaces/${namespace}/${plural}`, list)
      informer.on('add', (obj) => handlers.upsert(obj as CustomResource))
      informer.on('update', (obj) => handlers.upsert(obj as CustomResource))
      informer.on('delete', (obj) => handlers.removed(obj as CustomResource))
      informer.on('error', (error) => handlers.failed(error))
      return { start: () => informer.start(), stop: () => informer.stop() }
    },
    async writeStatus(namespace, plural, name, status) {
      // A merge patch of the status subresource: never touches the spec, and needs no resourceVersion.
      await custom.patchNamespacedCustomObjectStatus(
        { group: GROUP, version: VERSION, namespace, plural, name, body: { status }, fieldManager: 'switchboard-controller' },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      )
    },
    lease: (namespace, name) => leaseApi(coordination, namespace, name),
  }
}
