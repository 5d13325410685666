// Bedrock Converse wire format: JSON `/model/{id}/converse` and `/model/{id}/converse-stream` in AWS
// event-stream framing (messageStart, contentBlockStart/Delta/Stop, messageStop, metadata).

import { encodeEventMessage, eventFrame } from '../event-stream.ts'
import type { PlannedReply } from '../reply-plan.ts'
import { splitJson } from '../reply-plan.ts'
import type { EmulatedRequest } from '../types.ts'
import { arr, obj, str, type Frame, type Json, type ParsedRequest, type VendorWire } from './wire.ts'

const STOP = { end: 'end_turn', tool_use: 'tool_use', max_tokens: 'max_tokens', content_filter: 'content_filtered' } as const
const ROUTE = /\/model\/([^/]+)\/(converse|converse-stream)$/

function blocksText(blocks: unknown): string {
  return arr(blocks)
    .map(obj)
    .map((b) => (b.text !== undefined ? str(b.text) : b.toolResult ? blocksText(obj(b.toolResult).content) : b.json ? str(b.json) : ''))
    .join('')
}

function parse(body: unknown, url: URL): ParsedRequest {
  const b = obj(body)
  const [, model = 'unknown', op] = url.pathname.match(ROUTE) ?? []
  const msgs = arr(b.messages).map(obj)
  const messages = msgs.map((m) => ({ role: str(m.role), text: blocksText(m.content) }))
  const toolResults = msgs
    .flatMap((m) => arr(m.content).map(obj))
    .filter((blk) => blk.toolResult !== undefined)
    .map((blk) => obj(blk.toolResult))
    .map((r) => ({ id: str(r.toolUseId), content: blocksText(r.content) }))
  const system = blocksText(b.system)
  return {
    model: decodeURIComponent(model),
    stream: op === 'converse-stream',
    ...(system ? { system } : {}),
    messages,
    toolNames: arr(obj(b.toolConfig).tools).map((t) => str(obj(obj(t).toolSpec).name)),
    toolResults,
    lastText: messages.at(-1)?.text ?? '',
  }
}

function usage(plan: PlannedReply) {
  const { inputTokens, outputTokens, cachedTokens } = plan.usage
  return { inputTokens, outputTokens, totalTokens: inputTokens + outputTokens + cachedTokens, cacheReadInputTokens: cachedTokens }
}

function json(plan: PlannedReply): unknown {
  const content: Json[] = plan.text ? [{ text: plan.text }] : []
  for (const c of plan.toolCalls) content.push({ toolUse: { toolUseId: c.id, name: c.name, input: c.arguments } })
  return { output: { message: { role: 'assistant', content } }, stopReason: STOP[plan.stopReason], usage: usage(plan), metrics: { latencyMs: 1 } }
}

function frames(plan: PlannedReply, _req: EmulatedRequest): Frame[] {
  const ev = (type: string, payload: Json, tokens = 0): Frame => ({ data: eventFrame(type, payload), tokens })
  const out: Frame[] = [ev('messageStart', { role: 'assistant' })]
  let contentBlockIndex = 0
  if (plan.tokens.length > 0) {
    for (const t of plan.tokens) out.push(ev('contentBlockDelta', { contentBlockIndex, delta: { text: t } }, 1))
    out.push(ev('contentBlockStop', { contentBlockIndex }))
    contentBlockIndex += 1
  }
  for (const c of plan.toolCalls) {
    out.push(ev('contentBlockStart', { contentBlockIndex, start: { toolUse: { toolUseId: c.id, name: c.name } } }))
    for (const input of splitJson(JSON.stringify(c.arguments))) {
      out.push(ev('contentBlockDelta', { contentBlockIndex, delta: { toolUse: { input } } }, 1))
    }
    out.push(ev('contentBlockStop', { contentBlockIndex }))
    contentBlockIndex += 1
  }
  out.push(ev('messageStop', { stopReason: STOP[plan.stopReason] }))
  out.push(ev('metadata', { usage: usage(plan), metrics: { latencyMs: 1 } }))
  return out
}

function errorType(status: number): string {
  if (status === 429) return 'ThrottlingException'
  if (status === 503) return 'ServiceUnavailableException'
  if (status >= 500) return 'InternalServerException'
  if (status === 403) return 'AccessDeniedException'
  if (status === 404) return 'ResourceNotFoundException'
  if (status === 408) return 'ModelTimeoutException'
  return 'ValidationException'
}

export const bedrockWire: VendorWire = {
  vendor: 'bedrock',
  idPrefix: 'tooluse_',
  streamContentType: 'application/vnd.amazon.eventstream',
  handles: (url) => ROUTE.test(url.pathname),
  parse,
  json,
  frames,
  error: (status, message) => ({
    body: JSON.stringify({ message }),
    headers: { 'x-amzn-errortype': `${errorType(status)}:http://internal.amazon.com/coral/com.amazon.bedrock/` },
  }),
  // A frame whose payload is broken JSON, with valid framing so the failure is in decoding, not transport.
  malformedFrame: () =>
    encodeEventMessage(
      { ':event-type': 'contentBlockDelta', ':content-type': 'application/json', ':message-type': 'event' },
      new TextEncoder().encode('{"contentBlockIndex":0,"delta":{"text":'),
    ),
}
