// The cloud-platform routes (Anthropic on Bedrock and Vertex, Gemini on Vertex) spoken to with plain
// fetch: routing to the right wire, body validation, chunk framing and error shapes.

import { afterAll, beforeEach, describe, expect, test } from 'bun:test'
import { EventStreamCodec } from '@smithy/core/event-streams'
import { fromUtf8, toUtf8 } from '@smithy/core/serde'
import { createVendorEmulator } from '../../emulator/index.ts'

const emu = createVendorEmulator()
afterAll(() => emu.close())
beforeEach(() => emu.reset())

const codec = new EventStreamCodec(toUtf8, fromUtf8)
const VERTEX_CLAUDE = '/v1/projects/p/locations/us-east5/publishers/anthropic/models/claude-x'
const messages = [{ role: 'user', content: 'hi' }]

function post(path: string, body: unknown): Promise<Response> {
  return fetch(`${emu.url}${path}`, { method: 'POST', body: JSON.stringify(body) })
}

/** Splits an event-stream body into messages and decodes each `chunk` event's base64 `bytes`. */
function chunkPayloads(bytes: Uint8Array): { eventType: string; payload: { type: string } }[] {
  const out: { eventType: string; payload: { type: string } }[] = []
  let buf = bytes
  while (buf.length > 0) {
    const len = new DataView(buf.buffer, buf.byteOffset).getUint32(0)
    const msg = codec.decode(buf.subarray(0, len))
    const { bytes: b64 } = JSON.parse(new TextDecoder().decode(msg.body)) as { bytes: string }
    out.push({ eventType: String(msg.headers[':event-type']?.value), payload: JSON.parse(Buffer.from(b64, 'base64').toString()) })
    buf = buf.subarray(len)
  }
  return out
}

describe('platform routes', () => {
  test('each path reaches its own wire, with the model taken from the path', async () => {
    await post('/model/anthropic.claude-x%3A0/invoke', { anthropic_version: 'bedrock-2023-05-31', messages })
    await post(`${VERTEX_CLAUDE}:rawPredict`, { anthropic_version: 'vertex-2023-10-16', messages })
    await post('/v1/projects/p/locations/l/publishers/google/models/gemini-x:generateContent', { contents: [] })
    await post('/v1beta/models/gemini-x:generateContent', { contents: [] })
    expect(emu.requests.map((r) => [r.vendor, r.model])).toEqual([
      ['anthropic-bedrock', 'anthropic.claude-x:0'],
      ['anthropic-vertex', 'claude-x'],
      ['gemini-vertex', 'gemini-x'],
      ['gemini', 'gemini-x'],
    ])
  })

  test('Bedrock and Vertex reject a body without anthropic_version, or with a model, as the platforms do', async () => {
    const missing = await post('/model/m/invoke', { messages })
    expect(missing.status).toBe(400)
    expect(missing.headers.get('x-amzn-errortype')).toStartWith('ValidationException')
    const extra = await post(`${VERTEX_CLAUDE}:rawPredict`, { anthropic_version: 'v', model: 'claude-x', messages })
    expect(extra.status).toBe(400)
    expect(await extra.json()).toMatchObject({ type: 'error', error: { type: 'invalid_request_error' } })
    expect(emu.requests).toHaveLength(0)
  })

  test('invoke-with-response-stream sends each Anthropic event as a base64 chunk', async () => {
    emu.script({ reply: { text: 'hi there', toolCalls: [{ name: 'find', arguments: { a: 1 } }] } })
    const res = await post('/model/m/invoke-with-response-stream', { anthropic_version: 'v', messages })
    expect(res.headers.get('content-type')).toBe('application/vnd.amazon.eventstream')
    const chunks = chunkPayloads(new Uint8Array(await res.arrayBuffer()))
    expect(new Set(chunks.map((c) => c.eventType))).toEqual(new Set(['chunk']))
    const types = chunks.map((c) => c.payload.type)
    expect(types[0]).toBe('message_start')
    expect(types).toContain('content_block_delta')
    expect(types.slice(-2)).toEqual(['message_delta', 'message_stop'])
  })

  test('Vertex answers quota errors in google.rpc shape and model errors in Anthropic shape', async () => {
    emu.script({ fault: { kind: 'status', status: 429, retryAfterSeconds: 2 } }, { fault: { kind: 'status', status: 529 } })
    const quota = await post(`${VERTEX_CLAUDE}:streamRawPredict`, { anthropic_version: 'v', messages, stream: true })
    expect(await quota.json()).toMatchObject({ error: { code: 429, status: 'RESOURCE_EXHAUSTED' } })
    const overloaded = await post(`${VERTEX_CLAUDE}:rawPredict`, { anthropic_version: 'v', messages })
    expect(await overloaded.json()).toMatchObject({ type: 'error', error: { type: 'overloaded_error' } })
    expect(emu.requests.map((r) => r.stream)).toEqual([true, false])
  })
})
