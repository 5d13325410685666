// The status the API shows on a RoutingPolicy: which workers refuse the version in force and why (a provider they
// lack), as they report it. A version no worker refuses has no status (see versionRefusal).
import { versionRefusal, type WorkerRejection } from '../lib/routing-rejection.ts'
import type { RoutingRejections, StoredResource } from '../storage/index.ts'

export interface ResourceCondition {
  type: 'Loaded'
  status: 'False'
  reason: 'Rejected'
  /** For a person: the version, the workers, what they keep instead, and the compile's reason. */
  message: string
  workers: string[]
}

export interface ResourceStatus {
  conditions: ResourceCondition[]
}

/** One condition for the refusals of the version in force (lib/routing-rejection.ts). */
export function routingPolicyStatus(r: StoredResource, rejections: WorkerRejection[]): ResourceStatus | undefined {
  const refusal = versionRefusal(r.name, r.version, rejections)
  return refusal && { conditions: [{ type: 'Loaded', status: 'False', reason: 'Rejected', ...refusal }] }
}

/** The status reader for the RoutingPolicy routes. */
export const routingPolicyStatusOf = (rejections: Pick<RoutingRejections, 'read'>) =>
  async (r: StoredResource): Promise<ResourceStatus | undefined> => {
    // The resource is Postgres's and still readable when Redis is not: it is then served without a status.
    const reported = await rejections.read(r.name).catch(() => [])
    return routingPolicyStatus(r, reported)
  }
