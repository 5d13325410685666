// The per-provider circuit breaker, held in Redis: opens after N failures in a window, lets one half-open
// probe through after its open period, closes when the probe succeeds and re-opens when it fails.
import { afterAll, beforeEach, describe, expect, test } from 'bun:test'
import { waitFor } from '../../support/wait.ts'
import { ask, createRoutingFixture, ctx, testPolicy } from './routing-fixture.ts'

const breaker = (windowMs = 10_000) =>
  testPolicy({ defaults: { retry: { attempts: 1 }, circuitBreaker: { failureThreshold: 3, windowMs, openMs: 400 } } })
const f = await createRoutingFixture(breaker())
afterAll(() => f.close())
beforeEach(async () => {
  await f.reset()
  f.use(breaker())
})

async function tripBreaker(): Promise<void> {
  f.emu.script({ fault: { kind: 'status', status: 500 }, times: 3 })
  for (let i = 0; i < 3; i++) expect((await f.gateway.complete(ask(), ctx())).path).toEqual(['openai:gpt-4o', 'local:local'])
}

describe('circuit breaker', () => {
  test('opens after N failures in the window and stops calling the vendor', async () => {
    f.emu.script({ fault: { kind: 'status', status: 500 }, times: 3 })
    await f.gateway.complete(ask(), ctx())
    await f.gateway.complete(ask(), ctx())
    expect(await f.state.breakerState('openai')).toBe('closed')
    await f.gateway.complete(ask(), ctx())
    expect(await f.state.breakerState('openai')).toBe('open')
    const before = f.emu.requests.length
    const out = await f.gateway.complete(ask(), ctx())
    expect(out.path).toEqual(['local:local'])
    expect(out.degradedBy).toBe('gpt-4o: circuit_open')
    expect(f.emu.requests.length).toBe(before)
  })

  test('failures older than the window do not count', async () => {
    f.use(breaker(300))
    f.emu.script({ fault: { kind: 'status', status: 500 }, times: 3 })
    await f.gateway.complete(ask(), ctx())
    await f.gateway.complete(ask(), ctx())
    await Bun.sleep(350)
    await f.gateway.complete(ask(), ctx())
    expect(await f.state.breakerState('openai')).toBe('closed')
  })

  test('after the open period one probe goes through; its success closes the circuit', async () => {
    await tripBreaker()
    await waitFor(async () => (await f.state.breakerState('openai')) === 'half_open', 3000, 'half-open')
    f.emu.script({ reply: { text: 'Back up.' }, latencyMs: 200 })
    const before = f.emu.requests.length
    // Two calls at once: the probe reaches openai, the other is refused while the probe is out.
    const [a, b] = await Promise.all([f.gateway.complete(ask(), ctx()), Bun.sleep(50).then(() => f.gateway.complete(ask(), ctx()))])
    expect(a.path).toEqual(['openai:gpt-4o'])
    expect(b.path).toEqual(['local:local'])
    expect(b.degradedBy).toBe('gpt-4o: circuit_open')
    expect(f.emu.requests.length).toBe(before + 1)
    expect(await f.state.breakerState('openai')).toBe('closed')
    expect((await f.gateway.complete(ask(), ctx())).path).toEqual(['openai:gpt-4o'])
  })

  test('a failed probe re-opens the circuit at once', async () => {
    await tripBreaker()
    await waitFor(async () => (await f.state.breakerState('openai')) === 'half_open', 3000, 'half-open')
    f.emu.script({ fault: { kind: 'status', status: 500 } })
    const out = await f.gateway.complete(ask(), ctx())
    expect(out.path).toEqual(['openai:gpt-4o', 'local:local'])
    expect(await f.state.breakerState('openai')).toBe('open')
  })

  test('with nothing left in the chain an open circuit is a retryable unavailability', async () => {
    await tripBreaker()
    f.use(testPolicy({ defaults: { retry: { attempts: 1 }, circuitBreaker: { failureThreshold: 3, openMs: 400 } } }, ['gpt-4o']))
    const error = await f.gateway.complete(ask(), ctx()).then(() => undefined, (e: unknown) => e as { code: string; retryAfterMs?: number })
    expect(error?.code).toBe('provider.unavailable')
    expect(error?.retryAfterMs).toBeGreaterThan(0)
  })
})
