// The emulator's AWS event-stream framing, decoded by the AWS SDK's own codec (CRCs, headers, payload).

import { expect, test } from 'bun:test'
import { EventStreamCodec } from '@smithy/core/event-streams'
import { fromUtf8, toUtf8 } from '@smithy/core/serde'
import { createVendorEmulator, encodeEventMessage } from '../../emulator/index.ts'

const codec = new EventStreamCodec(toUtf8, fromUtf8)

test('one message round-trips through the AWS codec', () => {
  const bytes = encodeEventMessage({ ':event-type': 'messageStart', ':message-type': 'event' }, new TextEncoder().encode('{"role":"assistant"}'))
  const msg = codec.decode(bytes)
  expect(msg.headers[':event-type']).toEqual({ type: 'string', value: 'messageStart' })
  expect(new TextDecoder().decode(msg.body)).toBe('{"role":"assistant"}')
})

test('a corrupted byte fails the CRC check', () => {
  const bytes = encodeEventMessage({ ':event-type': 'x' }, new TextEncoder().encode('{}'))
  bytes[bytes.length - 6] = (bytes[bytes.length - 6] ?? 0) ^ 0xff
  expect(() => codec.decode(bytes)).toThrow()
})

test('converse-stream sends the Bedrock event sequence', async () => {
  const emu = createVendorEmulator()
  emu.script({ reply: { text: 'hi there', toolCalls: [{ id: 'tooluse_1', name: 'find', arguments: { a: 1 } }] } })
  const res = await fetch(`${emu.url}/model/m/converse-stream`, { method: 'POST', body: '{"messages":[]}' })
  expect(res.headers.get('content-type')).toBe('application/vnd.amazon.eventstream')
  let buf = new Uint8Array(await res.arrayBuffer())
  const types: string[] = []
  while (buf.length > 0) {
    const len = new DataView(buf.buffer, buf.byteOffset).getUint32(0)
    types.push(String(codec.decode(buf.subarray(0, len)).headers[':event-type']?.value))
    buf = buf.subarray(len)
  }
  await emu.close()
  expect(types[0]).toBe('messageStart')
  expect(types).toContain('contentBlockStart')
  expect(types.slice(-2)).toEqual(['messageStop', 'metadata'])
})
