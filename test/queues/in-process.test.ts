// Model calls to the built-in providers (`local`, `echo`) are made in the conversation's own process: no job, no queue,
// no other Worker woken. The call keeps its job's retry rule (same attempts and backoff, no attempt after the caller's
// deadline, none for a terminal failure), and every other vendor's call still travels its queue.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { Queue } from 'bullmq'
import type { PoolHandlers, ProviderComplete } from '../../actors/protocol.ts'
import { createSupervisor } from '../../actors/supervisor/supervisor.ts'
import { systemClock } from '../../lib/clock.ts'
import { RetryableError, TerminalError } from '../../lib/errors.ts'
import { attemptsByKind, callingInProcess, names } from '../../queues/index.ts'
import { startPoolFixture, type PoolFixture } from '../support/pools.ts'

let fixture: PoolFixture
/** Each attempt's start time, by request id. */
const starts = new Map<string, number[]>()

// The vendor scripts the behaviour: `flaky` fails twice, `broken` always, `down` with a Retry-After longer than the
// caller waits, `refused` terminally; the others answer.
const complete = async (req: ProviderComplete) => {
  const seen = [...(starts.get(req.id) ?? []), Date.now()]
  starts.set(req.id, seen)
  const { vendor } = req.payload
  if ((vendor === 'flaky' && seen.length <= 2) || vendor === 'broken') throw new RetryableError('provider.unavailable', 'try again')
  if (vendor === 'down') throw new RetryableError('provider.unavailable', 'the vendor is down', 1200)
  if (vendor === 'refused') throw new TerminalError('provider.rejected', 'no')
  return { text: `answered by ${vendor}`, toolCalls: [], provider: vendor, model: 'm', usage: { inputTokens: 1, outputTokens: 1, cachedTokens: 0 }, costUsd: 0, path: [`${vendor}:m`] }
}
const handlers = { 'provider.complete': complete } as unknown as PoolHandlers
const BUILT_IN = new Set(['local', 'flaky', 'broken', 'down', 'refused'])

const request = (vendor: string) => ({
  step: 'model.1', agent: 'demo', context: ['m1'], route: { tenantId: 't' }, vendors: [{ vendor, path: [`${vendor}:m`] }],
})
const supervisor = (timeoutMs?: number) =>
  createSupervisor(callingInProcess(fixture.pools, BUILT_IN, handlers['provider.complete']), systemClock, { modelStepTimeoutMs: timeoutMs })
const jobsOn = async (vendor: string) => {
  const queue = new Queue(names.providerPool(vendor), { connection: fixture.bull, prefix: fixture.redis.prefix })
  try {
    return await queue.getJobCountByTypes('waiting', 'active', 'completed', 'failed', 'delayed')
  } finally {
    await queue.close()
  }
}

beforeAll(async () => {
  fixture = await startPoolFixture(handlers, { provider: 2, tool: 1, escalation: 1, outreach: 1 }, ['local', 'up'])
})

afterAll(() => fixture.close())

test('a built-in provider answers in the caller\'s process with no job, while a vendor\'s call still travels its queue', async () => {
  const here = await supervisor().complete({ conversationId: 'c1', turnId: 'here' }, request('local'))
  expect(here).toMatchObject({ ok: true, value: { text: 'answered by local' } })
  expect(await jobsOn('local')).toBe(0)
  const queued = await supervisor().complete({ conversationId: 'c1', turnId: 'queued' }, request('up'))
  expect(queued).toMatchObject({ ok: true, value: { text: 'answered by up' } })
  expect(await jobsOn('up')).toBe(1)
})

test('a retryable failure is tried again with the job\'s backoff, at most as many times as a job', async () => {
  const recovered = await supervisor().complete({ conversationId: 'c1', turnId: 'flaky' }, request('flaky'))
  expect(recovered).toMatchObject({ ok: true, value: { text: 'answered by flaky' } })
  const tries = starts.get('flaky.model.1')!
  expect(tries).toHaveLength(3)
  // Backoff from 200 ms, doubling: lower bounds only, however slow the machine.
  expect(tries[1]! - tries[0]!).toBeGreaterThanOrEqual(190)
  expect(tries[2]! - tries[1]!).toBeGreaterThanOrEqual(390)

  const failed = await supervisor().complete({ conversationId: 'c1', turnId: 'broken' }, request('broken'))
  expect(failed).toMatchObject({ ok: false, error: { code: 'provider.unavailable', retryable: true } })
  expect(starts.get('broken.model.1')).toHaveLength(attemptsByKind['provider.complete'])
})

test('no attempt starts after the caller\'s deadline, and a terminal failure is not retried', async () => {
  // The vendor asks for 1.2 s; the caller waits 1 s in all: the call fails now with the vendor's own error.
  const started = Date.now()
  const late = await supervisor(1000).complete({ conversationId: 'c1', turnId: 'down' }, request('down'))
  expect(late).toMatchObject({ ok: false, error: { code: 'provider.unavailable' } })
  expect(starts.get('down.model.1')).toHaveLength(1)
  expect(Date.now() - started).toBeLessThan(1000)

  const refused = await supervisor().complete({ conversationId: 'c1', turnId: 'refused' }, request('refused'))
  expect(refused).toMatchObject({ ok: false, error: { code: 'provider.rejected', retryable: false } })
  expect(starts.get('refused.model.1')).toHaveLength(1)
})
