// Actor pools: request/response over BullMQ, retries with backoff for retryable failures, terminal
// failures surfacing with their code, duplicate requests answered from the first result, dead-lettering.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import type { PoolHandlers, PoolRequest } from '../../actors/protocol.ts'
import { AppError, RetryableError, TerminalError } from '../../lib/errors.ts'
import { createLogger } from '../../lib/log.ts'
import {
  createDeadLetter, createPoolClient, createRedis, startPoolWorkers, type DeadLetter, type PoolQueues, type PoolWorkers,
} from '../../queues/index.ts'
import { createTestRedis, type TestRedis } from '../support/redis.ts'
import { waitFor } from '../support/wait.ts'
import type Redis from 'ioredis'

let redis: TestRedis
let bull: Redis
let pools: PoolQueues
let workers: PoolWorkers
let deadLetter: DeadLetter
const calls = new Map<string, number>()

const check = (id: string, text: string): Extract<PoolRequest, { kind: 'guardrail.check' }> => ({
  v: 1, id, kind: 'guardrail.check', conversationId: 'c1', sentAt: Date.now(), payload: { turnId: 't1', stage: 'input', text },
})

// The guardrail handler stands in for any pool: its text scripts the behaviour under test.
const handlers = {
  'guardrail.check': async (req: Extract<PoolRequest, { kind: 'guardrail.check' }>) => {
    const n = (calls.get(req.id) ?? 0) + 1
    calls.set(req.id, n)
    if (req.payload.text === 'terminal') throw new TerminalError('provider.rejected', 'refused by the vendor')
    if (req.payload.text === 'flaky' && n < 3) throw new RetryableError('provider.rate_limited', 'slow down', 50)
    if (req.payload.text === 'always-busy') throw new RetryableError('provider.unavailable', 'still down')
    if (req.payload.text === 'slow-busy') {
      await Bun.sleep(300)
      throw new RetryableError('provider.unavailable', 'still down, slowly')
    }
    return { verdict: 'allow', rule: `call-${n}`, reason: req.payload.text, policyVersion: 'test' }
  },
} as unknown as PoolHandlers

beforeAll(async () => {
  redis = await createTestRedis()
  bull = createRedis(redis.url, 'pools-test')
  deadLetter = createDeadLetter(bull, redis.prefix)
  const concurrency = { provider: 1, guardrail: 4, tool: 1, escalation: 1, outreach: 1 }
  workers = startPoolWorkers(bull, { prefix: redis.prefix, concurrency, lockDurationMs: 5000 }, handlers, { deadLetter, log: createLogger() })
  pools = createPoolClient(bull, redis.url, redis.prefix)
})

afterAll(async () => {
  await pools.close()
  await workers.close()
  await deadLetter.close()
  bull.disconnect()
  await redis.cleanup()
})

describe('pools', () => {
  test('a call returns the handler result', async () => {
    expect(await pools.call(check('ok-1', 'hello'))).toMatchObject({ verdict: 'allow', reason: 'hello', rule: 'call-1' })
  })

  test('a repeated request id is answered from the first result, without running again', async () => {
    await pools.call(check('dup-1', 'once'))
    expect(await pools.call(check('dup-1', 'once'))).toMatchObject({ rule: 'call-1' })
    expect(calls.get('dup-1')).toBe(1)
  })

  test('retryable failures are retried with backoff, honouring Retry-After', async () => {
    const started = Date.now()
    expect(await pools.call(check('flaky-1', 'flaky'))).toMatchObject({ rule: 'call-3' })
    expect(Date.now() - started).toBeGreaterThanOrEqual(100)
  })

  test('a terminal failure is not retried and keeps its code across the hop', async () => {
    const error = await pools.call(check('term-1', 'terminal')).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(TerminalError)
    expect((error as AppError).code).toBe('provider.rejected')
    expect(calls.get('term-1')).toBe(1)
    await waitFor(async () => (await deadLetter.list()).some((d) => d.jobId === 'term-1'), 5000, 'dead letter')
  })

  test('work that keeps failing is given up after its attempts, retryable, and dead-lettered', async () => {
    const error = await pools.call(check('busy-1', 'always-busy')).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(RetryableError)
    expect((error as AppError).code).toBe('provider.unavailable')
    expect(calls.get('busy-1')).toBe(3)
    await waitFor(async () => (await deadLetter.list()).find((d) => d.jobId === 'busy-1'), 5000, 'dead letter')
  })

  test('a caller that gives up leaves no attempt to run after it: the job waiting out its backoff is removed', async () => {
    const error = await pools.call(check('late-1', 'always-busy'), { timeoutMs: 100 }).catch((e: unknown) => e)
    expect((error as AppError).code).toBe('pool.failed')
    // Without the removal, its second and third attempts would run 200 and 600 ms after the first.
    await Bun.sleep(1000)
    expect(calls.get('late-1') ?? 0).toBeLessThanOrEqual(1)
  })

  test('a caller that gives up during an attempt leaves no retry after it: the job is removed once the attempt fails', async () => {
    const error = await pools.call(check('late-2', 'slow-busy'), { timeoutMs: 100 }).catch((e: unknown) => e)
    expect((error as AppError).code).toBe('pool.failed')
    // The attempt running at the deadline ends at about 300 ms; without the removal a retry would follow 200 ms later.
    await Bun.sleep(1500)
    expect(calls.get('late-2')).toBe(1)
  })

  test('an invalid request is refused before it is queued', async () => {
    const bad = { ...check('bad-1', 'x'), payload: { stage: 'sideways' } } as unknown as PoolRequest
    expect(pools.call(bad)).rejects.toThrow(/invalid pool/)
  })
})
