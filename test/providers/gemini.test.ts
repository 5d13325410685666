// Gemini adapter against the emulator with the real `@google/genai` SDK, plus Gemini wire details.

import { afterAll, describe, expect, test } from 'bun:test'
import { createVendorEmulator } from '../../emulator/index.ts'
import type { RetryableError } from '../../lib/errors.ts'
import { createGeminiProvider } from '../../providers/index.ts'
import { failure, FAKE_KEY, providerContract, request } from './provider-contract.ts'

providerContract('gemini', (emu) => createGeminiProvider({ apiKey: FAKE_KEY, baseUrl: emu.url }))

describe('gemini wire details', () => {
  const emu = createVendorEmulator()
  const provider = createGeminiProvider({ apiKey: FAKE_KEY, baseUrl: emu.url })
  afterAll(() => emu.close())

  test('calls without a vendor id get a local id that is not sent back; tools use parametersJsonSchema', async () => {
    emu.script({ reply: { toolCalls: [{ name: 'find_order', arguments: { order_id: '#W1' } }] } })
    const tools = [{ name: 'find_order', description: 'd', parameters: { type: 'object', properties: { order_id: { type: 'string' } } } }]
    const first = await provider.complete(request('q', { tools }))
    const call = first.toolCalls[0]!
    expect(call.id.startsWith('gemini-local-')).toBe(true)
    await provider.complete(request('', { tools, messages: [
      { role: 'user', content: 'q' },
      { role: 'assistant', content: '', toolCalls: [call] },
      { role: 'tool', toolCallId: call.id, name: 'find_order', content: 'shipped' },
    ] }))
    expect(emu.requests[1]?.body).toMatchObject({
      systemInstruction: { parts: [{ text: 'You are a support agent.' }] },
      tools: [{ functionDeclarations: [{ name: 'find_order', parametersJsonSchema: tools[0]!.parameters }] }],
      contents: [
        { role: 'user', parts: [{ text: 'q' }] },
        { role: 'model', parts: [{ functionCall: { name: 'find_order', args: { order_id: '#W1' } } }] },
        { role: 'user', parts: [{ functionResponse: { name: 'find_order', response: { result: 'shipped' } } }] },
      ],
    })
    expect(JSON.stringify(emu.requests[1]?.body)).not.toContain('gemini-local-')
  })

  test('a vendor-supplied call id is kept and sent back', async () => {
    emu.script({ reply: { toolCalls: [{ id: 'fc-42', name: 'find_order', arguments: {} }] } })
    const first = await provider.complete(request('q'))
    expect(first.toolCalls[0]?.id).toBe('fc-42')
    await provider.complete(request('', { messages: [
      { role: 'assistant', content: '', toolCalls: first.toolCalls },
      { role: 'tool', toolCallId: 'fc-42', name: 'find_order', content: '{"status":"ok"}' },
    ] }))
    expect(emu.requests.at(-1)?.toolResults).toEqual([{ id: 'fc-42', content: '{"status":"ok"}' }])
  })

  test('a 429 without RetryInfo has no retryAfterMs', async () => {
    emu.script({ fault: { kind: 'status', status: 429 } })
    const err = await failure(() => provider.complete(request('hi')))
    expect(err.code).toBe('provider.rate_limited')
    expect((err as RetryableError).retryAfterMs).toBeUndefined()
  })
})
