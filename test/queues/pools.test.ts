// Actor pools: request/response over BullMQ, retries with backoff for retryable failures, terminal
// failures surfacing with their code, duplicate requests answered from the first result, dead-lettering.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import type { PoolHandlers, PoolRequest } from '../../actors/protocol.ts'
import { AppError, RetryableError, TerminalError } from '../../lib/errors.ts'
import { attemptsByKind, type DeadLetter, type PoolQueues } from '../../queues/index.ts'
import { startPoolFixture, type PoolFixture } from '../support/pools.ts'
import { waitFor } from '../support/wait.ts'

let fixture: PoolFixture
let pools: PoolQueues
let deadLetter: DeadLetter
const calls = new Map<string, number>()

type Invoke = Extract<PoolRequest, { kind: 'tool.invoke' }>
const check = (id: string, text: string): Invoke => ({
  v: 1, id, kind: 'tool.invoke', conversationId: 'c1', sentAt: Date.now(), payload: { turnId: 't1', tool: 'script', args: { text } },
})

// The tool handler stands in for any pool: the text it is given scripts the behaviour under test.
const handlers = {
  'tool.invoke': async (req: Invoke) => {
    const n = (calls.get(req.id) ?? 0) + 1
    calls.set(req.id, n)
    const text = req.payload.args.text
    if (text === 'terminal') throw new TerminalError('provider.rejected', 'refused by the vendor')
    if (text === 'flaky' && n < 3) throw new RetryableError('provider.rate_limited', 'slow down', 50)
    if (text === 'always-busy') throw new RetryableError('provider.unavailable', 'still down')
    if (text === 'slow-busy') {
      await Bun.sleep(300)
      throw new RetryableError('provider.unavailable', 'still down, slowly')
    }
    return { ok: true, output: { call: `call-${n}`, text } }
  },
} as unknown as PoolHandlers

beforeAll(async () => {
  fixture = await startPoolFixture(handlers, { provider: 1, tool: 4, escalation: 1, outreach: 1 })
  ;({ pools, deadLetter } = fixture)
})

afterAll(() => fixture.close())

describe('pools', () => {
  test('a call returns the handler result', async () => {
    expect(await pools.call(check('ok-1', 'hello'))).toMatchObject({ ok: true, output: { text: 'hello', call: 'call-1' } })
  })

  test('a repeated request id is answered from the first result, without running again', async () => {
    await pools.call(check('dup-1', 'once'))
    expect(await pools.call(check('dup-1', 'once'))).toMatchObject({ output: { call: 'call-1' } })
    expect(calls.get('dup-1')).toBe(1)
  })

  test('retryable failures are retried with backoff, honouring Retry-After', async () => {
    const started = Date.now()
    expect(await pools.call(check('flaky-1', 'flaky'))).toMatchObject({ output: { call: 'call-3' } })
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
    expect(calls.get('busy-1')).toBe(attemptsByKind['tool.invoke'])
    await waitFor(async () => (await deadLetter.list()).find((d) => d.jobId === 'busy-1'), 10_000, 'dead letter')
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
    const bad = { ...check('bad-1', 'x'), payload: { tool: 42 } } as unknown as PoolRequest
    expect(pools.call(bad)).rejects.toThrow(/invalid pool/)
  })
})
