// Gemini on Vertex AI: the Gemini adapter's `vertex` flavor, built by createProvider, driving the real
// `@google/genai` client (`vertexai: true`, a fixed access token) against the emulator.

import { afterAll, beforeEach, describe, expect, test } from 'bun:test'
import { createVendorEmulator } from '../../emulator/index.ts'
import { RetryableError } from '../../lib/errors.ts'
import { createGeminiProvider, createProvider } from '../../providers/index.ts'
import { collect, failure, FAKE_KEY, providerContract, request } from './provider-contract.ts'

providerContract('gemini-vertex', (emu) =>
  createProvider({ vendor: 'gemini-vertex', project: 'acme-support', location: 'europe-west4', baseUrl: emu.url, accessToken: FAKE_KEY }),
)

describe('Gemini on Vertex, on the wire', () => {
  const emu = createVendorEmulator()
  const provider = createGeminiProvider({ flavor: 'vertex', project: 'acme', location: 'us-central1', baseUrl: emu.url, accessToken: FAKE_KEY })
  beforeEach(() => emu.reset())
  afterAll(() => emu.close())

  test('generateContent goes under the project and location with the bearer token, no API key', async () => {
    const res = await provider.complete(request('hello'))
    expect(res.provider).toBe('gemini-vertex')
    const sent = emu.requests[0]!
    expect(sent).toMatchObject({ vendor: 'gemini-vertex', model: 'emu-model', stream: false })
    expect(sent.path).toBe('/v1beta1/projects/acme/locations/us-central1/publishers/google/models/emu-model:generateContent')
    expect(sent.headers.authorization).toBe('[redacted]')
    expect(sent.headers['x-goog-api-key']).toBeUndefined()
  })

  test('streams use streamGenerateContent on the same resource path', async () => {
    emu.script({ reply: { text: 'from vertex' } })
    const events = await collect(provider.stream(request('hi')))
    expect(events.at(-1)).toMatchObject({ type: 'done', response: { text: 'from vertex' } })
    expect(emu.requests[0]?.path).toBe('/v1beta1/projects/acme/locations/us-central1/publishers/google/models/emu-model:streamGenerateContent')
  })

  test('an explicit apiVersion replaces the SDK default in the path', async () => {
    const v1 = createProvider({ vendor: 'gemini-vertex', project: 'acme', location: 'global', baseUrl: emu.url, apiVersion: 'v1', accessToken: FAKE_KEY })
    await v1.complete(request('hi'))
    expect(emu.requests[0]?.path).toBe('/v1/projects/acme/locations/global/publishers/google/models/emu-model:generateContent')
  })

  test('without a token it uses ADC at call time: a missing credential fails the call (retryable)', async () => {
    const saved = process.env.GOOGLE_APPLICATION_CREDENTIALS
    // A credentials file that does not exist makes the ADC lookup fail at once, with no network probe.
    process.env.GOOGLE_APPLICATION_CREDENTIALS = '/nonexistent/switchboard-test-adc.json'
    try {
      const adc = createGeminiProvider({ flavor: 'vertex', project: 'acme', location: 'us-central1', baseUrl: emu.url })
      const err = await failure(() => adc.complete(request('hi')))
      // Retryable, but as provider.malformed: genericFacts (providers/errors.ts) reads the `.json` in the
      // credentials path as a JSON parse failure. Reported rather than worked around here.
      expect(err).toBeInstanceOf(RetryableError)
      expect(emu.requests).toHaveLength(0)
    } finally {
      if (saved === undefined) delete process.env.GOOGLE_APPLICATION_CREDENTIALS
      else process.env.GOOGLE_APPLICATION_CREDENTIALS = saved
    }
  })
})
