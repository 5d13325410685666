// The controller role's settings: part of lib/config.ts's schema (which alone reads the environment), kept apart
// so each concern's fields stay together.
import { Type, type Static } from '@sinclair/typebox'

export const ControllerEnv = {
  /** Namespaces whose custom resources the controller applies, comma-separated; the Lease lives in the first. @defaultValue 'switchboard' */
  CONTROLLER_NAMESPACES: Type.String({ default: 'switchboard', pattern: '^[a-z0-9-]+(,[a-z0-9-]+)*$', description: 'namespaces, comma-separated' }),
  /** The coordination.k8s.io Lease of the leader election. @defaultValue 'switchboard-controller' */
  CONTROLLER_LEASE_NAME: Type.String({ default: 'switchboard-controller', pattern: '^[a-z0-9.-]+$' }),
  /** A controller that stops renewing its Lease is replaced after this long. @defaultValue 15 */
  CONTROLLER_LEASE_DURATION_S: Type.Integer({ default: 15, minimum: 2, description: 'leader election lease, s' }),
  /** Lease renewal period, and the pause before a failed watch or store write is tried again. @defaultValue 2000 */
  CONTROLLER_RETRY_MS: Type.Integer({ default: 2000, minimum: 10, description: 'controller retry period, ms' }),
}

const ControllerEnvSchema = Type.Object(ControllerEnv)

export function controllerConfig(env: Static<typeof ControllerEnvSchema>) {
  return {
    namespaces: env.CONTROLLER_NAMESPACES.split(','),
    leaseName: env.CONTROLLER_LEASE_NAME,
    leaseDurationMs: env.CONTROLLER_LEASE_DURATION_S * 1000,
    retryMs: env.CONTROLLER_RETRY_MS,
  }
}
