// Fallback, retries and timeouts through the routing gateway, with the real OpenAI SDK adapter against the
// vendor emulator and the real local model as the last resort.
import { afterAll, beforeEach, describe, expect, test } from 'bun:test'
import type { AppError } from '../../../lib/errors.ts'
import type { RoutedStreamEvent } from '../../../providers/index.ts'
import { ask, createRoutingFixture, ctx, testPolicy, type RoutingFixture } from './routing-fixture.ts'

const retryOnce = (maxDelayMs = 5000) => testPolicy({ defaults: { retry: { attempts: 2, baseDelayMs: 10, maxDelayMs } } })
const noRetry = testPolicy({ defaults: { retry: { attempts: 1 } } })

const f: RoutingFixture = await createRoutingFixture(noRetry)
afterAll(() => f.close())
beforeEach(() => f.reset())

async function failure(run: () => Promise<unknown>): Promise<AppError> {
  try {
    await run()
  } catch (e) {
    return e as AppError
  }
  throw new Error('expected a failure')
}

describe('fallback down the chain', () => {
  test('a 429 falls back to local and cools openai down for its Retry-After', async () => {
    f.use(noRetry)
    f.emu.script({ fault: { kind: 'status', status: 429, retryAfterSeconds: 30 } })
    const first = await f.gateway.complete(ask(), ctx())
    expect(first.path).toEqual(['openai:gpt-4o', 'local:local'])
    expect(first.response.provider).toBe('local')
    expect(first.degradedBy).toBe('gpt-4o: provider.rate_limited')
    expect(first.costUsd).toBe(0)
    // Within the Retry-After no process calls openai: straight to local, openai never sees the request.
    const second = await f.gateway.complete(ask(), ctx())
    expect(second.path).toEqual(['local:local'])
    expect(second.degradedBy).toBe('gpt-4o: cooling_down')
    expect(f.emu.requests).toHaveLength(1)
  })

  test('a 500 is retried, then falls back', async () => {
    f.use(retryOnce())
    f.emu.script({ fault: { kind: 'status', status: 500 }, times: 2 })
    const out = await f.gateway.complete(ask(), ctx())
    expect(out.path).toEqual(['openai:gpt-4o', 'local:local'])
    expect(out.degradedBy).toBe('gpt-4o: provider.unavailable')
    expect(f.emu.requests).toHaveLength(2)
  })

  test('a 503 then a reply: the retry answers and the call is priced', async () => {
    f.use(retryOnce())
    f.emu.script({ fault: { kind: 'status', status: 503 } }, { reply: { text: 'Sorry about that!', usage: { inputTokens: 1000, outputTokens: 100 } } })
    const out = await f.gateway.complete(ask(), ctx())
    expect(out).toMatchObject({ path: ['openai:gpt-4o'], costUsd: 0.0035, policyVersion: 'test-1', rule: 'default' })
    expect(out.response.text).toBe('Sorry about that!')
    expect(out.degradedBy).toBeUndefined()
  })

  test('the retry after a 429 waits at least its Retry-After', async () => {
    f.use(retryOnce())
    f.emu.script({ fault: { kind: 'status', status: 429, retryAfterSeconds: 1 } }, { reply: { text: 'Here now.' } })
    const started = performance.now()
    const out = await f.gateway.complete(ask(), ctx())
    const waited = performance.now() - started
    expect(out.path).toEqual(['openai:gpt-4o'])
    expect(f.emu.requests).toHaveLength(2)
    expect(waited).toBeGreaterThanOrEqual(1000)
    expect(waited).toBeLessThan(3000)
  })

  test('a Retry-After longer than the inline budget moves on instead of waiting', async () => {
    f.use(retryOnce(500))
    f.emu.script({ fault: { kind: 'status', status: 429, retryAfterSeconds: 2 } })
    const started = performance.now()
    const out = await f.gateway.complete(ask(), ctx())
    expect(out.path).toEqual(['openai:gpt-4o', 'local:local'])
    expect(performance.now() - started).toBeLessThan(1000)
  })

  test('with no fallback left the retryable error surfaces with its Retry-After, for the pool to back off', async () => {
    f.use(testPolicy({ defaults: { retry: { attempts: 1 } } }, ['gpt-4o']))
    f.emu.script({ fault: { kind: 'status', status: 429, retryAfterSeconds: 9 } })
    const e = await failure(() => f.gateway.complete(ask(), ctx()))
    expect(e.name).toBe('RetryableError')
    expect(e.code).toBe('provider.rate_limited')
    expect((e as { retryAfterMs?: number }).retryAfterMs).toBe(9000)
  })

  test('a hung vendor times out at the provider deadline and falls back', async () => {
    f.use(testPolicy({ defaults: { timeoutMs: 300, retry: { attempts: 1 } } }))
    f.emu.script({ fault: { kind: 'hang' } })
    const started = performance.now()
    const out = await f.gateway.complete(ask(), ctx())
    expect(out.path).toEqual(['openai:gpt-4o', 'local:local'])
    expect(out.degradedBy).toBe('gpt-4o: provider.timeout')
    expect(performance.now() - started).toBeGreaterThanOrEqual(290)
  })

  test('a content-filter refusal does not fall back', async () => {
    f.use(noRetry)
    f.emu.script({ reply: { text: '', stopReason: 'content_filter' } })
    const e = await failure(() => f.gateway.complete(ask(), ctx()))
    expect(e.code).toBe('provider.content_filtered')
  })
})

describe('streaming', () => {
  async function collect(stream: AsyncIterable<RoutedStreamEvent>) {
    const events: RoutedStreamEvent[] = []
    for await (const e of stream) events.push(e)
    return events
  }

  test('streams from openai and reports the routed, priced completion at the end', async () => {
    f.use(noRetry)
    f.emu.script({ reply: { text: 'Let me check that for you.', usage: { inputTokens: 200, outputTokens: 20 } } })
    const events = await collect(f.gateway.stream(ask(), ctx()))
    const text = events.flatMap((e) => (e.type === 'text' ? [e.delta] : [])).join('')
    expect(text).toBe('Let me check that for you.')
    const done = events.at(-1)
    expect(done?.type === 'done' && done.routed).toMatchObject({ path: ['openai:gpt-4o'], costUsd: 0.0007 })
  })

  test('a failure before the first event falls back to local', async () => {
    f.use(noRetry)
    f.emu.script({ fault: { kind: 'status', status: 502 } })
    const events = await collect(f.gateway.stream(ask('I forgot my password'), ctx()))
    const done = events.at(-1)
    expect(done?.type === 'done' && done.routed.path).toEqual(['openai:gpt-4o', 'local:local'])
    expect(events.some((e) => e.type === 'text')).toBe(true)
  })
})
