// Azure OpenAI and OpenAI-compatible (Ollama-style) servers through the same OpenAI adapter, built by
// createProvider from plain config, against the emulator.

import { afterAll, beforeEach, describe, expect, test } from 'bun:test'
import { createVendorEmulator } from '../../emulator/index.ts'
import { RetryableError } from '../../lib/errors.ts'
import { createProvider } from '../../providers/index.ts'
import { collect, failure, FAKE_KEY, providerContract, request } from './provider-contract.ts'

providerContract('azure-openai', (emu) =>
  createProvider({ vendor: 'azure-openai', apiKey: FAKE_KEY, baseUrl: emu.url, apiVersion: '2024-10-21', deployment: 'support-gpt' }),
)

providerContract('openai-compatible', (emu) => createProvider({ vendor: 'openai-compatible', baseUrl: `${emu.url}/v1` }))

describe('OpenAI variants on the wire', () => {
  const emu = createVendorEmulator()
  beforeEach(() => emu.reset())
  afterAll(() => emu.close())

  test('azure sends to the deployment path with api-version and the api-key header', async () => {
    const p = createProvider({ vendor: 'azure-openai', name: 'azure-eu', apiKey: FAKE_KEY, baseUrl: emu.url, apiVersion: '2024-10-21', deployment: 'support-gpt' })
    const res = await p.complete(request('hello'))
    expect(res.provider).toBe('azure-eu')
    const sent = emu.requests[0]!
    expect(sent.path).toBe('/openai/deployments/support-gpt/chat/completions')
    expect(sent.headers['api-key']).toBe('[redacted]')
    expect(sent.body).toMatchObject({ max_completion_tokens: 1024 })
  })

  test('ollama-style servers get max_tokens and no real key', async () => {
    const p = createProvider({ vendor: 'ollama', baseUrl: `${emu.url}/v1` })
    emu.script({ reply: { text: 'local hello' } })
    expect((await p.complete(request('hi', { maxTokens: 50 }))).text).toBe('local hello')
    expect(emu.requests[0]?.body).toMatchObject({ max_tokens: 50 })
    expect(emu.requests[0]?.body).not.toHaveProperty('max_completion_tokens')
  })

  test('openai streams ask for the usage chunk and send tools as functions', async () => {
    const p = createProvider({ vendor: 'openai', apiKey: FAKE_KEY, baseUrl: `${emu.url}/v1` })
    const tools = [{ name: 'lookup', description: 'd', parameters: { type: 'object', properties: {} } }]
    await collect(p.stream(request('hi', { tools, temperature: 0.2 })))
    expect(emu.requests[0]?.body).toMatchObject({
      stream: true,
      stream_options: { include_usage: true },
      temperature: 0.2,
      tools: [{ type: 'function', function: { name: 'lookup', description: 'd', parameters: { type: 'object', properties: {} } } }],
      messages: [{ role: 'system', content: 'You are a support agent.' }, { role: 'user', content: 'hi' }],
    })
  })

  test('a connection refused is retryable provider.unavailable', async () => {
    const dead = createVendorEmulator()
    const deadUrl = dead.url
    await dead.close()
    const p = createProvider({ vendor: 'openai-compatible', baseUrl: `${deadUrl}/v1` })
    const err = await failure(() => p.complete(request('hi')))
    expect(err).toBeInstanceOf(RetryableError)
    expect(err.code).toBe('provider.unavailable')
  })

  test('tool errors reach OpenAI marked as errors', async () => {
    const p = createProvider({ vendor: 'openai', apiKey: FAKE_KEY, baseUrl: `${emu.url}/v1` })
    const call = { id: 'call_1', name: 'lookup', arguments: {} }
    await p.complete(request('', { messages: [
      { role: 'user', content: 'x' },
      { role: 'assistant', content: '', toolCalls: [call] },
      { role: 'tool', toolCallId: 'call_1', name: 'lookup', content: 'order not found', isError: true },
    ] }))
    expect(emu.requests[0]?.toolResults).toEqual([{ id: 'call_1', content: 'Error: order not found' }])
  })
})
