// The contract between a worker that refuses a RoutingPolicy version (providers/' policy set), the record of it in
// Redis (storage/) and the API that shows it on the resource (api/).

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
