// The status the API shows on a RoutingPolicy: which workers refuse the version in force and why (a provider they
// lack), as they report it. A version no worker refuses has no status: the API cannot tell "loaded everywhere"
// from "not polled yet", so it claims neither.
import type { WorkerRejection } from '../lib/routing-rejection.ts'
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

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`
// A message is for a person; the full list is in `workers`.
const NAMED = 5
const named = (ids: string[]) => ids.slice(0, NAMED).join(', ') + (ids.length > NAMED ? ` and ${ids.length - NAMED} more` : '')

/** One condition for the refusals of this version; refusals of earlier versions are stale and left out. */
export function routingPolicyStatus(r: StoredResource, rejections: WorkerRejection[]): ResourceStatus | undefined {
  const current = rejections.filter((j) => j.name === r.name && j.revision === r.version)
  if (current.length === 0) return undefined
  // Workers deployed alike refuse alike: one clause per distinct reason, not one per worker.
  const groups = new Map<string, WorkerRejection[]>()
  for (const j of current) {
    const key = `${j.keeps ?? ''}\n${j.message}`
    groups.set(key, [...(groups.get(key) ?? []), j])
  }
  const clauses = [...groups.values()].map((js) => {
    const s = js.length === 1 ? 's' : ''
    const keeps = js[0]!.keeps === undefined ? `which run${s} no version of it` : `which keep${s} version ${js[0]!.keeps}`
    return `${plural(js.length, 'worker')} (${named(js.map((j) => j.worker))}), ${keeps}: ${js[0]!.message}`
  })
  return {
    conditions: [{
      type: 'Loaded', status: 'False', reason: 'Rejected',
      message: `version ${r.version} is refused by ${clauses.join('; and by ')}`,
      workers: current.map((j) => j.worker),
    }],
  }
}

/** The status reader for the RoutingPolicy routes. */
export const routingPolicyStatusOf = (rejections: Pick<RoutingRejections, 'read'>) =>
  async (r: StoredResource): Promise<ResourceStatus | undefined> => {
    // The resource is Postgres's and still readable when Redis is not: it is then served without a status.
    const reported = await rejections.read(r.name).catch(() => [])
    return routingPolicyStatus(r, reported)
  }
