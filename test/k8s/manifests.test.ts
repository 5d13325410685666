// Every overlay's rendered manifests (`kubectl kustomize`), validated offline against the pinned Kubernetes 1.32,
// KEDA 2.20 and prometheus-operator schemas, and held to what running Switchboard safely needs: probes, security
// contexts, grace periods, budgets, monitors, RBAC for every controlled kind, and a pinned image. (Example
// documents against the CRDs: test/k8s/crds.test.ts.)
import { describe, expect, test } from 'bun:test'
import { join } from 'node:path'
import { CONTROLLED_KINDS } from '../../controller/index.ts'
import { LONGEST_PROVIDER_CALL_MS } from '../../lib/limits.ts'
import { createValidator, findKubectl, parseObjects, type K8sObject } from './schema-validator.ts'

const ROOT = join(import.meta.dir, '..', '..')
const kubectl = findKubectl()
if (!kubectl) console.warn('SKIPPED: rendering the overlays needs kubectl (scripts/setup.sh --test installs it)')

function render(dir: string): K8sObject[] {
  const out = Bun.spawnSync([kubectl!, 'kustomize', join(ROOT, dir)], { stderr: 'pipe' })
  if (out.exitCode !== 0) throw new Error(`kubectl kustomize ${dir}: ${out.stderr.toString()}`)
  return parseObjects(out.stdout.toString())
}

const OVERLAYS = ['k8s/overlays/dev', 'k8s/overlays/prod']
const rendered = new Map(kubectl ? OVERLAYS.map((o) => [o, render(o)] as const) : [])
const of = (objects: K8sObject[], kind: string) => objects.filter((o) => o.kind === kind)
const named = (objects: K8sObject[], kind: string, name: string) => of(objects, kind).find((o) => o.metadata?.name === name)!
type Selector = { matchLabels?: Record<string, string>; matchExpressions?: Array<{ key: string; operator: string; values?: string[] }> }
/** A label selector as the API server applies it (only the `In` expressions the manifests use). */
const selects = (selector: Selector, labels: Record<string, string> = {}) =>
  Object.entries(selector.matchLabels ?? {}).every(([k, v]) => labels[k] === v) &&
  (selector.matchExpressions ?? []).every((e) => {
    if (e.operator !== 'In') throw new Error(`selector operator ${e.operator} is not modelled here`)
    return e.values!.includes(labels[e.key]!)
  })
const ROLES = ['api', 'worker', 'controller']
/** The provider queues each overlay gives a Deployment of their own (k8s/providers/). */
const OWN_PROVIDER_QUEUES: Record<string, string[]> = { 'k8s/overlays/dev': [], 'k8s/overlays/prod': ['openai'] }
const envOf = (d: K8sObject, name: string) => d.spec.template.spec.containers[0].env.find((e: any) => e.name === name)?.value

describe.each(OVERLAYS)('%s', (overlay) => {
  const objects = () => rendered.get(overlay)!
  const deployments = () => of(objects(), 'Deployment')

  test.skipIf(!kubectl)('every object is valid against its pinned schema', () => {
    const crdTexts = of(objects(), 'CustomResourceDefinition').map((crd) => JSON.stringify(crd))
    const strict = createValidator(crdTexts)
    const problems = objects().flatMap((o) => strict.problems(o).map((p) => `${o.kind}/${o.metadata?.name} ${p}`))
    expect(problems).toEqual([])
    expect(objects().length).toBeGreaterThan(25)
  })

  test.skipIf(!kubectl)('one Deployment per role, each with probes, resources and a pinned image', () => {
    const providers = OWN_PROVIDER_QUEUES[overlay]!.map(() => 'provider')
    expect(deployments().map((d) => d.metadata!.labels!['app.kubernetes.io/component']).sort()).toEqual([...ROLES, ...providers].sort())
    for (const d of deployments()) {
      for (const c of d.spec.template.spec.containers) {
        expect(c.image, d.metadata!.name).toMatch(/^[^:@]+(:[\w.-]+|@sha256:[0-9a-f]{64})$/)
        expect(c.image).not.toEndWith(':latest')
        expect(c.readinessProbe && c.livenessProbe, `${d.metadata!.name} probes`).toBeTruthy()
        expect(c.resources.requests.cpu && c.resources.requests.memory && c.resources.limits.memory).toBeTruthy()
      }
    }
    expect(named(objects(), 'Deployment', 'switchboard-controller').spec.replicas).toBe(1)
  })

  test.skipIf(!kubectl)('pods run as non-root on a read-only root filesystem, with /tmp as an emptyDir', () => {
    for (const d of deployments()) {
      const pod = d.spec.template.spec
      expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } })
      for (const c of pod.containers) {
        expect(c.securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] } })
        const tmp = c.volumeMounts.find((m: any) => m.mountPath === '/tmp')
        expect(pod.volumes.find((v: any) => v.name === tmp.name).emptyDir).toBeDefined()
      }
    }
  })

  test.skipIf(!kubectl)('a worker gets longer to stop than its shutdown budget, which outlasts the longest provider call', () => {
    const config = named(objects(), 'ConfigMap', 'switchboard-config').data
    const grace = named(objects(), 'Deployment', 'switchboard-worker').spec.template.spec.terminationGracePeriodSeconds
    // The providers' default deadline and the cap of every configured one (a provider spec, a routing policy).
    expect(Number(config.SHUTDOWN_GRACE_MS)).toBeGreaterThan(LONGEST_PROVIDER_CALL_MS)
    expect(grace * 1000).toBeGreaterThanOrEqual(Number(config.SHUTDOWN_GRACE_MS) + 15_000)
  })

  test.skipIf(!kubectl)('every role has a PodDisruptionBudget and a PodMonitor on a port its container serves', () => {
    for (const d of deployments()) {
      const labels = d.spec.template.metadata.labels
      expect(of(objects(), 'PodDisruptionBudget').filter((p) => selects(p.spec.selector, labels)), `${d.metadata!.name} PDB`).toHaveLength(1)
      const monitor = of(objects(), 'PodMonitor').find((m) => selects(m.spec.selector, labels))
      const ports = d.spec.template.spec.containers.flatMap((c: any) => c.ports.map((p: any) => p.name))
      expect(ports).toContain(monitor?.spec.podMetricsEndpoints[0].port)
    }
  })

  test.skipIf(!kubectl)('a default-deny network policy covers every pod, and each role has its own allowances', () => {
    const policies = of(objects(), 'NetworkPolicy')
    const deny = policies.find((p) => !p.spec.ingress && !p.spec.egress)!
    expect(deny.spec.policyTypes).toEqual(['Ingress', 'Egress'])
    for (const d of deployments()) {
      expect(selects(deny.spec.podSelector, d.spec.template.metadata.labels)).toBe(true)
      expect(policies.filter((p) => p !== deny && selects(p.spec.podSelector, d.spec.template.metadata.labels)).length).toBe(1)
    }
    const api = named(objects(), 'NetworkPolicy', 'switchboard-api')
    expect(JSON.stringify(api.spec.ingress)).toContain('ingress-nginx')
    const worker = named(objects(), 'NetworkPolicy', 'switchboard-worker')
    expect(worker.spec.egress.flatMap((e: any) => e.ports.map((p: any) => p.port)).sort()).toEqual([443, 53, 53, 5432, 6379].sort())
  })

  test.skipIf(!kubectl)('KEDA scales the api, the workers and each provider queue\'s Deployment, never the controller', () => {
    const targets = of(objects(), 'ScaledObject').map((s) => s.spec.scaleTargetRef.name).sort()
    const own = OWN_PROVIDER_QUEUES[overlay]!.map((q) => `switchboard-provider-${q}`)
    expect(targets).toEqual(['switchboard-api', 'switchboard-worker', ...own].sort())
    for (const s of of(objects(), 'ScaledObject')) {
      expect(s.spec.minReplicaCount).toBeLessThanOrEqual(s.spec.maxReplicaCount)
      expect(deployments().map((d) => d.metadata!.name), `${s.metadata!.name} target`).toContain(s.spec.scaleTargetRef.name)
    }
  })

  test.skipIf(!kubectl)('a provider queue with its own Deployment is served there alone, and scaled on its own backlog', () => {
    const own = OWN_PROVIDER_QUEUES[overlay]!
    const worker = named(objects(), 'Deployment', 'switchboard-worker')
    for (const queue of own) {
      const d = named(objects(), 'Deployment', `switchboard-provider-${queue}`)
      expect(envOf(d, 'PROVIDER_QUEUES')).toBe(queue)
      expect(envOf(d, 'WORKER_ACTORS')).toBe('false')
      expect(d.spec.template.metadata.labels['switchboard.dev/provider']).toBe(queue)
      const scaled = of(objects(), 'ScaledObject').find((s) => s.spec.scaleTargetRef.name === d.metadata!.name)!
      const query: string = scaled.spec.triggers[0].metadata.query
      expect(query).toContain(`switchboard_provider_queue_jobs{namespace="switchboard",provider="${queue}",state="waiting"}`)
      // The workers leave it to its Deployment: `*` would serve it twice, scaled on nobody's backlog.
      expect(envOf(worker, 'PROVIDER_QUEUES')!.split(',')).not.toContain(queue)
      expect(envOf(worker, 'PROVIDER_QUEUES')).not.toBe('*')
    }
  })

  test.skipIf(!kubectl)('the controller may watch and update the status of every kind it controls, and hold its Lease', () => {
    const role = named(objects(), 'Role', 'switchboard-controller')
    const allowed = (resource: string, verb: string) => role.rules.some((r: any) => r.resources.includes(resource) && r.verbs.includes(verb))
    for (const kind of CONTROLLED_KINDS) {
      for (const verb of ['list', 'watch']) expect(allowed(kind.plural, verb), `${verb} ${kind.plural}`).toBe(true)
      expect(allowed(`${kind.plural}/status`, 'patch'), `patch ${kind.plural}/status`).toBe(true)
      expect(of(objects(), 'CustomResourceDefinition').some((c) => c.spec.names.plural === kind.plural), `${kind.kind} CRD`).toBe(true)
    }
    for (const verb of ['create', 'get', 'update']) expect(allowed('leases', verb)).toBe(true)
    const binding = named(objects(), 'RoleBinding', 'switchboard-controller')
    expect(named(objects(), 'Deployment', 'switchboard-controller').spec.template.spec.serviceAccountName).toBe(binding.subjects[0].name)
  })

  test.skipIf(!kubectl)('the Grafana dashboards ship as a ConfigMap the sidecar picks up', () => {
    const dashboards = named(objects(), 'ConfigMap', 'switchboard-dashboards')
    expect(dashboards.metadata!.labels).toMatchObject({ grafana_dashboard: '1' })
    for (const json of Object.values(dashboards.data as Record<string, string>)) expect(JSON.parse(json).panels.length).toBeGreaterThan(0)
  })
})
