// Anthropic messages on the cloud platforms, as the Bedrock and Vertex SDK variants call them: the model
// moves from the body into the path and `anthropic_version` into the body; replies stay Anthropic-shaped.
// Bedrock streams each Anthropic event as an event-stream `chunk` whose `bytes` are the base64 event JSON.

import { eventFrame } from '../event-stream.ts'
import type { PlannedReply } from '../reply-plan.ts'
import type { EmulatedRequest } from '../types.ts'
import { anthropicEvents, anthropicWire } from './anthropic.ts'
import { bedrockWire } from './bedrock.ts'
import { geminiWire } from './gemini.ts'
import { obj, type Frame, type ParsedRequest, type VendorWire } from './wire.ts'

const BEDROCK_ROUTE = /\/model\/([^/]+)\/(invoke|invoke-with-response-stream)$/
const VERTEX_ROUTE = /\/projects\/[^/]+\/locations\/[^/]+\/publishers\/anthropic\/models\/([^/:]+):(rawPredict|streamRawPredict)$/

/** Both platforms take the API version in the body and the model only from the path. */
function validate(body: unknown): string | undefined {
  const b = obj(body)
  if (typeof b.anthropic_version !== 'string') return 'anthropic_version: field required'
  if (b.model !== undefined) return 'extraneous key [model] is not permitted'
  return undefined
}

function parseWith(route: RegExp, streamOp: string) {
  return (body: unknown, url: URL): ParsedRequest => {
    const [, model = 'unknown', op] = url.pathname.match(route) ?? []
    return { ...anthropicWire.parse(body, url), model: decodeURIComponent(model), stream: op === streamOp }
  }
}

const base64 = (text: string) => Buffer.from(text).toString('base64')

function bedrockFrames(plan: PlannedReply, req: EmulatedRequest): Frame[] {
  return anthropicEvents(plan, req).map((e) => ({ data: eventFrame('chunk', { bytes: base64(JSON.stringify(e.payload)) }), tokens: e.tokens }))
}

/** InvokeModel / InvokeModelWithResponseStream with an Anthropic body; errors in Bedrock's own shape. */
export const anthropicBedrockWire: VendorWire = {
  ...anthropicWire,
  vendor: 'anthropic-bedrock',
  streamContentType: 'application/vnd.amazon.eventstream',
  handles: (url) => BEDROCK_ROUTE.test(url.pathname),
  parse: parseWith(BEDROCK_ROUTE, 'invoke-with-response-stream'),
  validate,
  frames: bedrockFrames,
  error: bedrockWire.error,
  // Valid framing around a chunk whose decoded bytes are broken JSON, so the failure is in decoding.
  malformedFrame: () => eventFrame('chunk', { bytes: base64('{"type":"content_block_delta","index":0,"delta":{') }),
}

// Vertex answers quota and auth failures itself, in google.rpc shape; the rest come from the model.
const PLATFORM_STATUSES = new Set([401, 403, 429])

/** rawPredict / streamRawPredict: Anthropic JSON and SSE, as on the first-party API. */
export const anthropicVertexWire: VendorWire = {
  ...anthropicWire,
  vendor: 'anthropic-vertex',
  handles: (url) => VERTEX_ROUTE.test(url.pathname),
  parse: parseWith(VERTEX_ROUTE, 'streamRawPredict'),
  validate,
  error: (status, message, retryAfterSeconds) =>
    PLATFORM_STATUSES.has(status) ? geminiWire.error(status, message, retryAfterSeconds) : anthropicWire.error(status, message),
}

