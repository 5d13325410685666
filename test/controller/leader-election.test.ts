// Leader election over a Lease on the loopback API server: one leader at a time, a freed Lease passes at once,
// and a leader cut off from the API server steps down before a candidate may take its expired Lease.
import { afterAll, expect, test } from 'bun:test'
import { createKubeClient, startLeaderElection, type LeaderElection, type LeaseApi } from '../../controller/index.ts'
import { createLogger, setLogLevel } from '../../lib/log.ts'
import { waitFor } from '../support/wait.ts'
import { startKubeApiServer } from './kube-api-server.ts'

setLogLevel('error')
const api = startKubeApiServer({})
const kube = createKubeClient({ server: api.url })
const log = createLogger({ test: 'leader-election' })
const started: LeaderElection[] = []
const events: string[] = []

function candidate(identity: string, lease: LeaseApi = kube.lease('switchboard', 'election')): LeaderElection {
  const election = startLeaderElection(lease, {
    identity, leaseDurationMs: 2000, retryMs: 100, log,
    onStartedLeading: async () => void events.push(`${identity} leads`),
    onStoppedLeading: async () => void events.push(`${identity} stops`),
  })
  started.push(election)
  return election
}

afterAll(async () => {
  for (const e of started) await e.close()
  api.close()
})

test('one candidate leads; closing it frees the Lease and the other takes over', async () => {
  const a = candidate('a')
  await waitFor(async () => a.isLeader(), 10_000, 'a to lead')
  const b = candidate('b')
  // b has seen a renew several times without taking over.
  await waitFor(async () => api.requests.filter((r) => r.method === 'GET' && r.path.endsWith('/leases/election')).length > 10, 10_000, 'b to try')
  expect(b.isLeader()).toBe(false)
  await a.close()
  expect(api.lease('election').spec.holderIdentity).toBe('')
  await waitFor(async () => b.isLeader(), 10_000, 'b to lead')
  expect(api.lease('election').spec).toMatchObject({ holderIdentity: 'b', leaseTransitions: 1 })
  expect(events).toEqual(['a leads', 'a stops', 'b leads'])
})

test('a leader that cannot renew steps down; a candidate takes the Lease only after it expires', async () => {
  events.length = 0
  const b = started.at(-1)!
  let partitioned = false
  const cut: LeaseApi = (() => {
    const real = kube.lease('switchboard', 'election')
    const guard = <T>(fn: () => Promise<T>) => (partitioned ? Promise.reject(new Error('connect ETIMEDOUT')) : fn())
    return { read: () => guard(real.read), create: (s) => guard(() => real.create(s)), replace: (v, s) => guard(() => real.replace(v, s)) }
  })()
  await b.close()
  const c = candidate('c', cut)
  await waitFor(async () => c.isLeader(), 10_000, 'c to lead')
  const d = candidate('d')
  partitioned = true
  const cutAt = Date.now()
  await waitFor(async () => !c.isLeader(), 10_000, 'c to step down')
  await waitFor(async () => d.isLeader(), 10_000, 'd to lead')
  // d waited out the Lease from when it last saw c renew: at least the Lease duration after the cut, roughly.
  expect(Date.now() - cutAt).toBeGreaterThanOrEqual(1500)
  expect(events.indexOf('c stops')).toBeLessThan(events.indexOf('d leads'))
  expect(api.lease('election').spec.holderIdentity).toBe('d')
})
