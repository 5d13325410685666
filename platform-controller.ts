// The controller role: custom resources from the Kubernetes API applied through the same path as the API's
// (`applyResource` as the operator, by `controller`), the workers' refusals of RoutingPolicies mirrored on their
// status as often as workers reload policies, with probes and metrics on the metrics port.
// Part of the composition root.
import { applyResource, type ApplyDeps } from './api/index.ts'
import { CONTROLLED_KINDS, CONTROLLER_BY, createKubeClient, startController, type KubeClient } from './controller/index.ts'
import type { Config } from './lib/config.ts'
import type { Logger } from './lib/log.ts'
import type { Health, Metrics } from './lib/metrics.ts'
import type { RoutingRejections } from './storage/index.ts'
import { startMetricsServer } from './platform-worker.ts'

export interface ControllerRoleDeps {
  config: Config
  apply: ApplyDeps
  routingRejections: Pick<RoutingRejections, 'read'>
  metrics: Metrics
  health: Health
  log: Logger
  /** The API server; unset reads KUBECONFIG or the pod's service account. */
  kube?: KubeClient
}

export interface ControllerRole {
  isLeader(): boolean
  metricsPort?: number
  close(): Promise<void>
}

export function startControllerRole(deps: ControllerRoleDeps): ControllerRole {
  const { config, apply, log } = deps
  const controller = startController({
    kube: deps.kube ?? createKubeClient(),
    store: {
      resources: apply.resources,
      routingRejections: deps.routingRejections,
      apply: async (input) => {
        const { resource, changed } = await applyResource(apply, { kind: 'operator', by: CONTROLLER_BY }, input)
        return { tenantId: resource.tenantId, version: resource.version, changed }
      },
    },
    kinds: CONTROLLED_KINDS, identity: config.workerId, log, ...config.controller, refusalPollMs: config.routing.pollMs,
  })
  deps.metrics.track({ controller: () => ({ leader: controller.isLeader(), resources: controller.counts() }) })
  const server = startMetricsServer(deps.metrics, config.telemetry.metricsPort, log, deps.health)
  return {
    isLeader: () => controller.isLeader(),
    metricsPort: server?.port,
    close: async () => {
      await controller.close()
      await server?.close()
    },
  }
}
