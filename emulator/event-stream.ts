// AWS event-stream binary framing (application/vnd.amazon.eventstream), as used by Bedrock ConverseStream:
// prelude (total length, headers length, CRC32), string headers, JSON payload, message CRC32.

const encoder = new TextEncoder()
const STRING_HEADER = 7

function encodeHeaders(headers: Record<string, string>): Uint8Array {
  const parts: number[] = []
  for (const [name, value] of Object.entries(headers)) {
    const n = encoder.encode(name)
    const v = encoder.encode(value)
    parts.push(n.length, ...n, STRING_HEADER, (v.length >> 8) & 0xff, v.length & 0xff, ...v)
  }
  return Uint8Array.from(parts)
}

/** Encodes one event-stream message. */
export function encodeEventMessage(headers: Record<string, string>, payload: Uint8Array): Uint8Array {
  const head = encodeHeaders(headers)
  const total = 12 + head.length + payload.length + 4
  const out = new Uint8Array(total)
  const view = new DataView(out.buffer)
  view.setUint32(0, total)
  view.setUint32(4, head.length)
  view.setUint32(8, Bun.hash.crc32(out.subarray(0, 8)))
  out.set(head, 12)
  out.set(payload, 12 + head.length)
  view.setUint32(total - 4, Bun.hash.crc32(out.subarray(0, total - 4)))
  return out
}

/** An `event` message carrying a JSON payload, named by `:event-type`. */
export function eventFrame(eventType: string, payload: unknown): Uint8Array {
  const headers = { ':event-type': eventType, ':content-type': 'application/json', ':message-type': 'event' }
  return encodeEventMessage(headers, encoder.encode(JSON.stringify(payload)))
}

/** An `exception` message: the modeled error a stream reports in band (e.g. throttlingException). */
export function exceptionFrame(exceptionType: string, message: string): Uint8Array {
  const headers = { ':exception-type': exceptionType, ':content-type': 'application/json', ':message-type': 'exception' }
  return encodeEventMessage(headers, encoder.encode(JSON.stringify({ message })))
}
