// The contract between a worker that refuses a RoutingPolicy version (providers/' policy set), the record of it in
// Redis (storage/), and the API and the Kubernetes controller that show it on the resource (api/, controller/).

/** A version of a policy this process refuses to run. */
export interface RoutingRejection {
  /** The policy's name. */
  name: string
  /** The store's version refused. */
  revision: number
  /** Why, as compiling it said (for a missing provider: which, and which the process has). */
  message: string
  /** The version the process keeps in force instead; absent when it has none of this name. */
  keeps?: number
}

/** One worker's rejection as the API reads it. */
export interface WorkerRejection extends RoutingRejection {
  worker: string
  /** When the worker last reported it (ISO). */
  at: string
}

/** What the refusals of one version come to, for a person (`message`) and for tools (`workers`). */
export interface VersionRefusal {
  message: string
  workers: string[]
}

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`
// A message is for a person; the full list is in `workers`.
const NAMED = 5
const named = (ids: string[]) => ids.slice(0, NAMED).join(', ') + (ids.length > NAMED ? ` and ${ids.length - NAMED} more` : '')

/**
 * The refusals of version `version` of policy `name`; refusals of other versions are stale and left out. Undefined
 * when no worker refuses it, which cannot tell "loaded everywhere" from "not polled yet", so it claims neither.
 */
export function versionRefusal(name: string, version: number, rejections: readonly WorkerRejection[]): VersionRefusal | undefined {
  const current = rejections.filter((j) => j.name === name && j.revision === version)
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
  return { message: `version ${version} is refused by ${clauses.join('; and by ')}`, workers: current.map((j) => j.worker) }
}
