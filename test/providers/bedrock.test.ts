// Bedrock Converse adapter against the emulator with the real `@aws-sdk/client-bedrock-runtime`.

import { afterAll, describe, expect, test } from 'bun:test'
import { createVendorEmulator } from '../../emulator/index.ts'
import { RetryableError } from '../../lib/errors.ts'
import { createBedrockProvider } from '../../providers/index.ts'
import { collect, failure, providerContract, request } from './provider-contract.ts'

export const FAKE_SECRET = 'emulatorSecretKey0123456789abcdefEXAMPLE'

providerContract('bedrock', (emu) =>
  createBedrockProvider({
    region: 'us-east-1',
    baseUrl: emu.url,
    credentials: { accessKeyId: 'AKIAEMULATOR0000TEST', secretAccessKey: FAKE_SECRET },
  }),
)

describe('bedrock wire details', () => {
  const emu = createVendorEmulator()
  const provider = createBedrockProvider({
    region: 'us-east-1',
    baseUrl: emu.url,
    credentials: { accessKeyId: 'AKIAEMULATOR0000TEST', secretAccessKey: FAKE_SECRET },
  })
  afterAll(() => emu.close())

  test('requests are SigV4-signed Converse calls with system blocks, toolSpec and toolResult', async () => {
    const call = { id: 'tooluse_1', name: 'find_order', arguments: { order_id: '#W1' } }
    const tools = [{ name: 'find_order', description: 'd', parameters: { type: 'object', properties: {} } }]
    await provider.complete(request('', { tools, maxTokens: 64, messages: [
      { role: 'user', content: 'q' },
      { role: 'assistant', content: '', toolCalls: [call] },
      { role: 'tool', toolCallId: 'tooluse_1', name: 'find_order', content: 'gone', isError: true },
    ] }))
    const sent = emu.requests[0]!
    expect(sent.path).toBe('/model/emu-model/converse')
    expect(sent.headers.authorization).toBe('[redacted]')
    expect(sent.body).toMatchObject({
      system: [{ text: 'You are a support agent.' }],
      inferenceConfig: { maxTokens: 64 },
      toolConfig: { tools: [{ toolSpec: { name: 'find_order', inputSchema: { json: { type: 'object', properties: {} } } } }] },
      messages: [
        { role: 'user', content: [{ text: 'q' }] },
        { role: 'assistant', content: [{ toolUse: { toolUseId: 'tooluse_1', name: 'find_order', input: { order_id: '#W1' } } }] },
        { role: 'user', content: [{ toolResult: { toolUseId: 'tooluse_1', content: [{ text: 'gone' }], status: 'error' } }] },
      ],
    })
  })

  test('a 503 on the stream endpoint is retryable and the secret key never shows', async () => {
    emu.script({ fault: { kind: 'status', status: 503, message: `bad signature for ${FAKE_SECRET}` } })
    const err = await failure(() => collect(provider.stream(request('hi'))))
    expect(err).toBeInstanceOf(RetryableError)
    expect(err.code).toBe('provider.unavailable')
    expect(err.message).not.toContain(FAKE_SECRET)
  })
})
