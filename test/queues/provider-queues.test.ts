// Provider pools, one queue per vendor: the supervisor sends a model step to the first vendor the routing chose and
// falls back with a new job on the next vendor's queue; the job is the one retry owner, and starts no attempt its
// caller would no longer wait for; a vendor's Retry-After pauses its queue through BullMQ's own rate limiter.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { Queue } from 'bullmq'
import type { PoolHandlers, ProviderComplete } from '../../actors/protocol.ts'
import { createSupervisor } from '../../actors/supervisor/supervisor.ts'
import { systemClock } from '../../lib/clock.ts'
import { RetryableError } from '../../lib/errors.ts'
import { names, type PoolQueues } from '../../queues/index.ts'
import { startPoolFixture, type PoolFixture } from '../support/pools.ts'

let fixture: PoolFixture
let pools: PoolQueues
/** Each attempt's start time, by job id. */
const starts = new Map<string, number[]>()

// The vendor scripts the behaviour: `down` always fails (with a Retry-After), `busy` answers 429 once, `up` answers.
const handlers = {
  'provider.complete': async (req: ProviderComplete) => {
    const seen = [...(starts.get(req.id) ?? []), Date.now()]
    starts.set(req.id, seen)
    const { vendor } = req.payload
    if (vendor === 'down') throw new RetryableError('provider.unavailable', 'the vendor is down', 1200)
    if (vendor === 'busy' && seen.length === 1) throw new RetryableError('provider.rate_limited', 'slow down', 800)
    return { text: `answered by ${vendor}`, toolCalls: [], provider: vendor, model: 'm', usage: { inputTokens: 1, outputTokens: 1, cachedTokens: 0 }, costUsd: 0, path: [`${vendor}:m`] }
  },
} as unknown as PoolHandlers

const step = (turnId: string, vendors: string[]) => ({
  step: 'model.1', agent: 'demo', context: ['m1'], route: { tenantId: 't' }, vendors: vendors.map((vendor) => ({ vendor, path: [`${vendor}:m`] })),
  turn: { conversationId: 'c1', turnId },
})

beforeAll(async () => {
  fixture = await startPoolFixture(handlers, { provider: 4, tool: 1, escalation: 1, outreach: 1 }, ['down', 'busy', 'up'])
  pools = fixture.pools
})

afterAll(() => fixture.close())

/** A vendor's queue, read through BullMQ's API. */
const vendorQueue = (vendor: string) => new Queue(names.providerPool(vendor), { connection: fixture.bull, prefix: fixture.redis.prefix })

describe('provider queues', () => {
  test('a model step goes to its vendor\'s queue, and falls back to the next vendor with a job on that vendor\'s queue', async () => {
    const supervisor = createSupervisor(pools, systemClock)
    const { turn, ...request } = step('fallback', ['down', 'up'])
    const outcome = await supervisor.complete(turn, { ...request, vendors: [{ vendor: 'down', path: ['down:m'] }, { vendor: 'up', path: ['up:m'] }] })
    expect(outcome.ok && outcome.value.text).toBe('answered by up')
    // Each vendor's job ran on its own queue, under its own id; the answering one knows what was tried before it.
    const down = await vendorQueue('down').getJob('fallback.model.1')
    const up = await vendorQueue('up').getJob('fallback.model.1.up')
    expect(await down?.getState()).toBe('failed')
    expect(up?.data.payload.tried).toEqual(['down:m'])
    expect(up?.data.payload.vendor).toBe('up')
  }, 30_000)

  test('the job is the one retry owner: it makes no retry its caller would not wait for, and the caller falls back at once', async () => {
    // The vendor asks for 1.2 s; the caller waits 1 s in all. The job has attempts left, but no retry could start in
    // time: it fails now with the vendor's own error, and the caller moves to the next vendor instead of timing out.
    const supervisor = createSupervisor(pools, systemClock, { modelStepTimeoutMs: 1000 })
    const { turn, ...request } = step('deadline', ['down'])
    const alone = await supervisor.complete(turn, request)
    expect(!alone.ok && alone.error.code).toBe('provider.unavailable')
    const fallback = step('deadline-fallback', ['down', 'up'])
    const outcome = await supervisor.complete(fallback.turn, { ...request, vendors: fallback.vendors })
    expect(outcome.ok && outcome.value.text).toBe('answered by up')
    // Long after the caller's deadline, still one attempt each, and nothing left to run again.
    await Bun.sleep(2000)
    expect(starts.get('deadline.model.1')).toHaveLength(1)
    expect(starts.get('deadline-fallback.model.1')).toHaveLength(1)
    const queue = vendorQueue('down')
    expect(await (await queue.getJob('deadline.model.1'))?.getState()).toBe('failed')
  }, 30_000)

  test('a vendor\'s Retry-After pauses its queue through BullMQ\'s rate limiter, without spending an attempt', async () => {
    const supervisor = createSupervisor(pools, systemClock)
    const { turn, ...request } = step('limited', ['busy'])
    const outcome = await supervisor.complete(turn, request)
    expect(outcome.ok && outcome.value.text).toBe('answered by busy')
    const [first, second] = starts.get('limited.model.1')!
    // A lower bound only: the queue waited out the vendor's 800 ms (BullMQ's limiter key), however slow the machine.
    expect(second! - first!).toBeGreaterThanOrEqual(750)
    const job = await vendorQueue('busy').getJob('limited.model.1')
    // Only the attempt that answered counts (a completion counts as one); the limited one left no failure behind.
    expect(job?.attemptsMade).toBe(1)
    expect(job?.attemptsStarted).toBe(2)
    expect(job?.stacktrace ?? []).toEqual([])
  }, 30_000)

  test('a provider queue\'s backlog is counted on its own, with a bounded provider label, and summed into the provider pool', async () => {
    const counts = await pools.jobCounts()
    expect(counts.filter((c) => c.provider !== undefined).map((c) => c.provider).sort()).toEqual(['busy', 'down', 'up'])
    expect(counts.find((c) => c.pool === 'provider' && c.provider === undefined)).toBeDefined()
  })
})
