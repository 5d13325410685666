// Claude on Amazon Bedrock and Google Vertex AI: the Anthropic adapter's `bedrock` and `vertex` flavors,
// built by createProvider, driving the real AnthropicBedrock / AnthropicVertex clients against the emulator.

import { afterAll, beforeEach, describe, expect, test } from 'bun:test'
import { createVendorEmulator } from '../../emulator/index.ts'
import { RetryableError } from '../../lib/errors.ts'
import { createAnthropicProvider, createProvider } from '../../providers/index.ts'
import { collect, failure, FAKE_KEY, providerContract, request } from './provider-contract.ts'

const AWS = { accessKeyId: 'AKIAEMULATOR0000EXAMPLE', secretAccessKey: FAKE_KEY }

providerContract('anthropic-bedrock', (emu) =>
  createProvider({ vendor: 'anthropic-bedrock', region: 'us-east-1', baseUrl: emu.url, credentials: AWS }),
)

providerContract('anthropic-vertex', (emu) =>
  createProvider({ vendor: 'anthropic-vertex', region: 'us-east5', projectId: 'acme-support', baseUrl: `${emu.url}/v1`, accessToken: FAKE_KEY }),
)

describe('Anthropic on Bedrock and Vertex, on the wire', () => {
  const emu = createVendorEmulator()
  const bedrock = createAnthropicProvider({ flavor: 'bedrock', region: 'eu-west-1', baseUrl: emu.url, credentials: AWS })
  const vertex = createAnthropicProvider({ flavor: 'vertex', region: 'europe-west1', projectId: 'acme', baseUrl: `${emu.url}/v1`, accessToken: FAKE_KEY })
  beforeEach(() => emu.reset())
  afterAll(() => emu.close())

  test('bedrock: InvokeModel path, SigV4-signed, model in the path and anthropic_version in the body', async () => {
    const res = await bedrock.complete(request('hello'))
    expect(res.provider).toBe('anthropic-bedrock')
    const sent = emu.requests[0]!
    expect(sent).toMatchObject({ vendor: 'anthropic-bedrock', path: '/model/emu-model/invoke', model: 'emu-model', stream: false })
    expect(sent.headers.authorization).toBe('[redacted]')
    expect(sent.headers['x-amz-date']).toMatch(/^\d{8}T\d{6}Z$/)
    expect(sent.body).toMatchObject({ anthropic_version: expect.any(String), system: 'You are a support agent.', max_tokens: 1024 })
    expect(sent.body).not.toHaveProperty('model')
  })

  test('bedrock: streams come over invoke-with-response-stream as event-stream chunks', async () => {
    emu.script({ reply: { text: 'streamed from bedrock' } })
    const events = await collect(bedrock.stream(request('hi')))
    expect(events.at(-1)).toMatchObject({ type: 'done', response: { text: 'streamed from bedrock' } })
    expect(emu.requests[0]?.path).toBe('/model/emu-model/invoke-with-response-stream')
  })

  test('vertex: rawPredict under the project and region, with the bearer token', async () => {
    const res = await vertex.complete(request('hello'))
    expect(res.provider).toBe('anthropic-vertex')
    const sent = emu.requests[0]!
    expect(sent.path).toBe('/v1/projects/acme/locations/europe-west1/publishers/anthropic/models/emu-model:rawPredict')
    expect(sent.headers.authorization).toBe('[redacted]')
    expect(sent.body).toMatchObject({ anthropic_version: expect.any(String) })
    expect(sent.body).not.toHaveProperty('model')
    await collect(vertex.stream(request('hi')))
    expect(emu.requests[1]?.path).toMatch(/emu-model:streamRawPredict$/)
  })

  test('vertex: a google.rpc quota error (429 RESOURCE_EXHAUSTED) is rate limiting', async () => {
    emu.script({ fault: { kind: 'status', status: 429, retryAfterSeconds: 3 } })
    const err = await failure(() => vertex.complete(request('hi')))
    expect(err).toBeInstanceOf(RetryableError)
    expect(err.code).toBe('provider.rate_limited')
    expect((err as RetryableError).retryAfterMs).toBe(3000)
  })

  test('secrets (AWS secret key, Google token) never reach an error message', async () => {
    emu.script({ fault: { kind: 'status', status: 403, message: `bad signature for ${FAKE_KEY}` } })
    emu.script({ fault: { kind: 'status', status: 403, message: `token ${FAKE_KEY} lacks aiplatform.endpoints.predict` } })
    expect((await failure(() => bedrock.complete(request('hi')))).message).not.toContain(FAKE_KEY)
    expect((await failure(() => vertex.complete(request('hi')))).message).not.toContain(FAKE_KEY)
  })

  test('vertex without a token uses ADC per request: a missing credential fails the call (retryable), not the process', async () => {
    const saved = process.env.GOOGLE_APPLICATION_CREDENTIALS
    // A credentials file that does not exist makes the ADC lookup fail at once, with no network probe.
    process.env.GOOGLE_APPLICATION_CREDENTIALS = '/nonexistent/switchboard-test-adc.json'
    try {
      const adc = createAnthropicProvider({ flavor: 'vertex', region: 'us-east5', projectId: 'acme', baseUrl: `${emu.url}/v1` })
      await Bun.sleep(20)
      const err = await failure(() => adc.complete(request('hi')))
      expect(err).toBeInstanceOf(RetryableError)
      expect(err.code).toBe('provider.unavailable')
      expect(emu.requests).toHaveLength(0)
    } finally {
      if (saved === undefined) delete process.env.GOOGLE_APPLICATION_CREDENTIALS
      else process.env.GOOGLE_APPLICATION_CREDENTIALS = saved
    }
  })
})
