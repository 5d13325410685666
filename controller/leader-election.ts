// Leader election over a coordination.k8s.io Lease, as client-go does it: take the Lease when it is free or its
// holder stopped renewing, renew it every retry period, and stop leading when renewals keep failing. Expiry is
// judged by when this process last saw the record change, never by the holder's clock.
import type { Logger } from '../lib/log.ts'

/** The Lease fields the election uses (`spec` of a coordination.k8s.io/v1 Lease). */
export interface LeaseRecord {
  holderIdentity?: string | null
  leaseDurationSeconds?: number
  acquireTime?: string | null
  renewTime?: string | null
  leaseTransitions?: number
}

export interface StoredLease {
  resourceVersion: string
  spec: LeaseRecord
}

/** One Lease object; `create` and `replace` answer undefined when another writer got there first (409). */
export interface LeaseApi {
  read(): Promise<StoredLease | undefined>
  create(spec: LeaseRecord): Promise<StoredLease | undefined>
  replace(resourceVersion: string, spec: LeaseRecord): Promise<StoredLease | undefined>
}

export interface LeaderElectionOptions {
  identity: string
  /** How long a Lease that is not renewed keeps others out. @defaultValue 15000 */
  leaseDurationMs: number
  /** How often the Lease is renewed, or tried by a candidate. @defaultValue 2000 */
  retryMs: number
  onStartedLeading(): Promise<void>
  onStoppedLeading(): Promise<void>
  log: Logger
  now?: () => number
}

export interface LeaderElection {
  isLeader(): boolean
  /** Stops leading and frees the Lease, so a successor takes over at once. */
  close(): Promise<void>
}

/** Kubernetes MicroTime: RFC 3339 with exactly six fractional digits (the API server refuses three). */
export const microTime = (ms: number): string => new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z')

export function startLeaderElection(api: LeaseApi, o: LeaderElectionOptions): LeaderElection {
  const now = o.now ?? Date.now
  const seconds = Math.max(1, Math.round(o.leaseDurationMs / 1000))
  // client-go's default ratio: give up two thirds into the Lease, before anyone else may take it.
  const renewDeadlineMs = (o.leaseDurationMs * 2) / 3
  let observed = { record: '', at: 0 }
  let leader = false
  let lastRenewed = 0
  let closed = false
  let timer: ReturnType<typeof setTimeout> | undefined
  let running: Promise<void> = Promise.resolve()

  async function acquireOrRenew(): Promise<boolean> {
    const at = now()
    const stamp = microTime(at)
    const lease = await api.read()
    if (!lease) return Boolean(await api.create({ holderIdentity: o.identity, leaseDurationSeconds: seconds, acquireTime: stamp, renewTime: stamp, leaseTransitions: 0 }))
    const spec = lease.spec
    const record = `${spec.holderIdentity ?? ''}|${spec.renewTime ?? ''}`
    if (record !== observed.record) observed = { record, at }
    const mine = spec.holderIdentity === o.identity
    const expired = !spec.holderIdentity || observed.at + (spec.leaseDurationSeconds ?? seconds) * 1000 <= at
    if (!mine && !expired) return false
    const next = {
      holderIdentity: o.identity, leaseDurationSeconds: seconds, renewTime: stamp,
      acquireTime: mine ? (spec.acquireTime ?? stamp) : stamp, leaseTransitions: (spec.leaseTransitions ?? 0) + (mine ? 0 : 1),
    }
    const written = await api.replace(lease.resourceVersion, next)
    if (written) observed = { record: `${o.identity}|${stamp}`, at }
    return Boolean(written)
  }

  async function stopLeading(): Promise<void> {
    if (!leader) return
    leader = false
    o.log.warn('leadership lost', { identity: o.identity })
    await o.onStoppedLeading()
  }

  async function tick(): Promise<void> {
    try {
      if (await acquireOrRenew()) {
        lastRenewed = now()
        if (!leader && !closed) {
          leader = true
          o.log.info('leading', { identity: o.identity })
          await o.onStartedLeading()
        }
      } else await stopLeading()
    } catch (error) {
      o.log.warn('lease not renewed', { identity: o.identity, error: error as Error })
      if (leader && now() - lastRenewed > renewDeadlineMs) await stopLeading()
    }
  }

  const loop = () => {
    running = tick().finally(() => {
      if (!closed) timer = setTimeout(loop, o.retryMs)
    })
  }
  loop()

  return {
    isLeader: () => leader,
    async close() {
      closed = true
      clearTimeout(timer)
      await running
      if (!leader) return
      await stopLeading()
      // Freed, not left to expire: the next candidate takes it on its next try.
      const lease = await api.read().catch(() => undefined)
      if (lease?.spec.holderIdentity === o.identity) {
        const stamp = microTime(now())
        await api.replace(lease.resourceVersion, { ...lease.spec, holderIdentity: '', leaseDurationSeconds: 1, renewTime: stamp })
          .catch((error: Error) => o.log.warn('lease not released', { error }))
      }
    },
  }
}
