// Anthropic adapter against the emulator with the real `@anthropic-ai/sdk`, plus Anthropic wire details.

import { afterAll, describe, expect, test } from 'bun:test'
import { createVendorEmulator } from '../../emulator/index.ts'
import { RetryableError } from '../../lib/errors.ts'
import { createAnthropicProvider } from '../../providers/index.ts'
import { failure, FAKE_KEY, providerContract, request } from './provider-contract.ts'

providerContract('anthropic', (emu) => createAnthropicProvider({ apiKey: FAKE_KEY, baseUrl: emu.url }))

describe('anthropic wire details', () => {
  const emu = createVendorEmulator()
  const provider = createAnthropicProvider({ apiKey: FAKE_KEY, baseUrl: emu.url })
  afterAll(() => emu.close())

  test('tool results and a following user turn merge into one user message; system is top level', async () => {
    const call = { id: 'toolu_1', name: 'find_order', arguments: { order_id: '#W1' } }
    await provider.complete(request('', { messages: [
      { role: 'user', content: 'q' },
      { role: 'assistant', content: 'Checking.', toolCalls: [call] },
      { role: 'tool', toolCallId: 'toolu_1', name: 'find_order', content: 'not found', isError: true },
      { role: 'user', content: 'and?' },
    ] }))
    expect(emu.requests[0]?.body).toMatchObject({
      system: 'You are a support agent.',
      max_tokens: 1024,
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'q' }] },
        { role: 'assistant', content: [{ type: 'text', text: 'Checking.' }, { type: 'tool_use', id: 'toolu_1', name: 'find_order', input: { order_id: '#W1' } }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'not found', is_error: true }, { type: 'text', text: 'and?' }] },
      ],
    })
  })

  test('overloaded (529) is retryable provider.unavailable', async () => {
    emu.script({ fault: { kind: 'status', status: 529 } })
    const err = await failure(() => provider.complete(request('hi')))
    expect(err).toBeInstanceOf(RetryableError)
    expect(err.code).toBe('provider.unavailable')
  })
})
