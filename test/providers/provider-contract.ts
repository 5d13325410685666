// The behaviour every vendor adapter must show against the emulator: replies, streams, tool round trips
// and each fault class mapped to the right error. Each adapter's test file runs it with its own provider.

import { afterAll, beforeEach, describe, expect, test } from 'bun:test'
import { createVendorEmulator, type VendorEmulator } from '../../emulator/index.ts'
import { AppError, RetryableError, TerminalError } from '../../lib/errors.ts'
import type { Provider, ProviderMessage, ProviderRequest, StreamEvent } from '../../providers/index.ts'

export const FAKE_KEY = 'sk-test-5b1f0e9c2d7a4e3f8a6b'

const TOOLS = [
  {
    name: 'find_order',
    description: 'Look up an order by id',
    parameters: { type: 'object', properties: { order_id: { type: 'string' } }, required: ['order_id'] },
  },
]

export function request(text: string, extra: Partial<ProviderRequest> = {}): ProviderRequest {
  return { model: 'emu-model', system: 'You are a support agent.', messages: [{ role: 'user', content: text }], ...extra }
}

export async function collect(stream: AsyncIterable<StreamEvent>): Promise<StreamEvent[]> {
  const events: StreamEvent[] = []
  for await (const e of stream) events.push(e)
  return events
}

export async function failure(run: () => Promise<unknown>): Promise<AppError> {
  try {
    await run()
  } catch (e) {
    expect(e).toBeInstanceOf(AppError)
    return e as AppError
  }
  throw new Error('expected the call to fail')
}

const streamed = (p: Provider, req: ProviderRequest) => () => collect(p.stream(req))

/** Runs the shared adapter contract; `make` builds the provider under test for a running emulator. */
export function providerContract(label: string, make: (emu: VendorEmulator) => Provider): void {
  describe(`${label} provider contract`, () => {
    const emu = createVendorEmulator()
    const provider = make(emu)
    beforeEach(() => emu.reset())
    afterAll(() => emu.close())

    replyTests(emu, provider)
    toolTests(emu, provider)
    statusFaultTests(emu, provider)
    deadlineTests(emu, provider)
    brokenBodyTests(emu, provider)
  })
}

function replyTests(emu: VendorEmulator, provider: Provider): void {
  test('plain reply: text, usage, stop reason, and the system prompt reached the vendor', async () => {
    emu.script({ reply: { text: 'Your order ships today.', usage: { inputTokens: 12, outputTokens: 5, cachedTokens: 3 } } })
    const res = await provider.complete(request('Where is my order?'))
    expect(res).toMatchObject({ provider: provider.name, text: 'Your order ships today.', stopReason: 'end', toolCalls: [] })
    expect(res.usage).toEqual({ inputTokens: 12, outputTokens: 5, cachedTokens: 3 })
    expect(emu.requests[0]).toMatchObject({ stream: false, system: 'You are a support agent.', lastText: 'Where is my order?' })
  })

  test('streamed reply: several text deltas, then done with the whole text and usage', async () => {
    emu.script({ reply: { text: 'One two three four five.', usage: { inputTokens: 9, outputTokens: 6, cachedTokens: 0 } } })
    const events = await collect(provider.stream(request('Count please')))
    const deltas = events.flatMap((e) => (e.type === 'text' ? [e.delta] : []))
    expect(deltas.length).toBeGreaterThan(1)
    expect(deltas.join('')).toBe('One two three four five.')
    const last = events.at(-1)
    expect(last?.type).toBe('done')
    if (last?.type !== 'done') return
    expect(last.response).toMatchObject({ text: 'One two three four five.', stopReason: 'end' })
    expect(last.response.usage).toEqual({ inputTokens: 9, outputTokens: 6, cachedTokens: 0 })
    expect(emu.requests[0]?.stream).toBe(true)
  })

  test('max_tokens stop reason is reported, not thrown', async () => {
    emu.script({ reply: { text: 'Truncated', stopReason: 'max_tokens' } })
    expect((await provider.complete(request('long answer please'))).stopReason).toBe('max_tokens')
  })
}

function toolTests(emu: VendorEmulator, provider: Provider): void {
  test('tool call round trip: the model asks, the tool result goes back, the model answers', async () => {
    emu.script({ reply: { text: '', toolCalls: [{ name: 'find_order', arguments: { order_id: '#W2378156' } }] } })
    emu.script({ reply: { text: 'Order #W2378156 has shipped.' } })
    const first = await provider.complete(request('Where is #W2378156?', { tools: TOOLS }))
    expect(first.stopReason).toBe('tool_use')
    expect(first.toolCalls).toHaveLength(1)
    const call = first.toolCalls[0]!
    expect(call).toMatchObject({ name: 'find_order', arguments: { order_id: '#W2378156' } })
    expect(call.id).not.toBe('')
    expect(emu.requests[0]?.toolNames).toEqual(['find_order'])
    const messages: ProviderMessage[] = [
      { role: 'user', content: 'Where is #W2378156?' },
      { role: 'assistant', content: first.text, toolCalls: first.toolCalls },
      { role: 'tool', toolCallId: call.id, name: 'find_order', content: '{"status":"shipped"}' },
    ]
    const second = await provider.complete(request('', { tools: TOOLS, messages }))
    expect(second).toMatchObject({ text: 'Order #W2378156 has shipped.', stopReason: 'end' })
    const sent = emu.requests[1]?.toolResults[0]
    expect(sent?.content).toContain('shipped')
    expect(emu.requests[1]?.messages.length).toBe(3)
  })

  test('streamed tool call arrives whole with parsed arguments', async () => {
    emu.script({ reply: { text: 'Let me check.', toolCalls: [{ name: 'find_order', arguments: { order_id: '#W1', items: [1, 2] } }] } })
    const events = await collect(provider.stream(request('Check #W1', { tools: TOOLS })))
    const calls = events.flatMap((e) => (e.type === 'tool_call' ? [e.call] : []))
    expect(calls).toHaveLength(1)
    expect(calls[0]).toMatchObject({ name: 'find_order', arguments: { order_id: '#W1', items: [1, 2] } })
    const done = events.at(-1)
    expect(done?.type === 'done' && done.response.stopReason).toBe('tool_use')
    expect(done?.type === 'done' && done.response.toolCalls).toEqual(calls)
  })
}

function statusFaultTests(emu: VendorEmulator, provider: Provider): void {
  test('429 is retryable and carries Retry-After', async () => {
    emu.script({ fault: { kind: 'status', status: 429, retryAfterSeconds: 7 } })
    const err = await failure(() => provider.complete(request('hi')))
    expect(err).toBeInstanceOf(RetryableError)
    expect(err.code).toBe('provider.rate_limited')
    expect((err as RetryableError).retryAfterMs).toBe(7000)
  })

  test('500 is retryable', async () => {
    emu.script({ fault: { kind: 'status', status: 500 } })
    const err = await failure(() => provider.complete(request('hi')))
    expect(err).toBeInstanceOf(RetryableError)
    expect(err.code).toBe('provider.unavailable')
  })

  test('400 is terminal', async () => {
    emu.script({ fault: { kind: 'status', status: 400, message: 'messages: field required' } })
    const err = await failure(() => provider.complete(request('hi')))
    expect(err).toBeInstanceOf(TerminalError)
    expect(err.code).toBe('provider.rejected')
  })

  test('an auth error never repeats the API key', async () => {
    emu.script({ fault: { kind: 'status', status: 401, message: `Incorrect API key provided: ${FAKE_KEY}` } })
    const err = await failure(() => provider.complete(request('hi')))
    expect(err).toBeInstanceOf(TerminalError)
    expect(err.message).not.toContain(FAKE_KEY)
    expect(JSON.stringify(err)).not.toContain(FAKE_KEY)
  })

  test('a content-filtered reply is terminal, streamed or not', async () => {
    emu.script({ reply: { text: '', stopReason: 'content_filter' } }, { reply: { text: 'I will', stopReason: 'content_filter' } })
    const err = await failure(() => provider.complete(request('something nasty')))
    expect(err).toBeInstanceOf(TerminalError)
    expect(err.code).toBe('provider.content_filtered')
    const streamErr = await failure(streamed(provider, request('something nasty')))
    expect(streamErr).toBeInstanceOf(TerminalError)
    expect(streamErr.code).toBe('provider.content_filtered')
  })
}

function deadlineTests(emu: VendorEmulator, provider: Provider): void {
  test('a hanging vendor times out as retryable provider.timeout', async () => {
    emu.script({ fault: { kind: 'hang' } }, { fault: { kind: 'hang' } })
    const started = performance.now()
    const err = await failure(() => provider.complete(request('hi', { timeoutMs: 200 })))
    expect(err).toBeInstanceOf(RetryableError)
    expect(err.code).toBe('provider.timeout')
    expect(performance.now() - started).toBeLessThan(2000)
    const streamErr = await failure(streamed(provider, request('hi', { timeoutMs: 200 })))
    expect(streamErr.code).toBe('provider.timeout')
  })

  test('a caller abort is terminal provider.aborted', async () => {
    emu.script({ fault: { kind: 'hang' } })
    const controller = new AbortController()
    setTimeout(() => controller.abort(), 50)
    const err = await failure(() => provider.complete(request('hi', { signal: controller.signal })))
    expect(err).toBeInstanceOf(TerminalError)
    expect(err.code).toBe('provider.aborted')
  })
}

function brokenBodyTests(emu: VendorEmulator, provider: Provider): void {
  test('a stream cut in the middle is a retryable error after the first deltas', async () => {
    emu.script({ reply: { text: 'alpha beta gamma delta epsilon zeta eta theta' }, fault: { kind: 'cut', afterFrames: 4 } })
    const seen: StreamEvent[] = []
    const err = await failure(async () => {
      for await (const e of provider.stream(request('hi'))) seen.push(e)
    })
    expect(err).toBeInstanceOf(RetryableError)
    expect(seen.some((e) => e.type === 'text')).toBe(true)
    expect(seen.some((e) => e.type === 'done')).toBe(false)
  })

  test('a stream that ends cleanly but early (no final event) is retryable', async () => {
    emu.script({ reply: { text: 'alpha beta gamma delta epsilon zeta' }, fault: { kind: 'cut', afterFrames: 4, clean: true } })
    const err = await failure(streamed(provider, request('hi')))
    expect(err).toBeInstanceOf(RetryableError)
    expect(err.code).toBe('provider.unavailable')
  })

  test('a cut JSON body is a retryable AppError', async () => {
    emu.script({ fault: { kind: 'cut' } })
    expect(await failure(() => provider.complete(request('hi')))).toBeInstanceOf(RetryableError)
  })

  test('malformed JSON becomes provider.malformed, streamed or not', async () => {
    emu.script({ fault: { kind: 'malformed' } }, { fault: { kind: 'malformed' } })
    const err = await failure(() => provider.complete(request('hi')))
    expect(err.code).toBe('provider.malformed')
    const streamErr = await failure(streamed(provider, request('hi')))
    expect(streamErr.code).toBe('provider.malformed')
  })
}
