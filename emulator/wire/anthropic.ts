// Anthropic messages wire format: JSON replies and the SSE event sequence (message_start,
// content_block_start/delta/stop with text_delta and input_json_delta, message_delta, message_stop).

import type { PlannedReply } from '../reply-plan.ts'
import { splitJson } from '../reply-plan.ts'
import type { EmulatedRequest } from '../types.ts'
import { arr, obj, sse, str, type Frame, type Json, type ParsedRequest, type VendorWire, type WireError } from './wire.ts'

const STOP = { end: 'end_turn', tool_use: 'tool_use', max_tokens: 'max_tokens', content_filter: 'refusal' } as const

function blockText(content: unknown): string {
  if (typeof content === 'string') return content
  return arr(content)
    .map(obj)
    .map((b) => (b.type === 'text' ? str(b.text) : b.type === 'tool_result' ? blockText(b.content) : ''))
    .join('')
}

function parse(body: unknown): ParsedRequest {
  const b = obj(body)
  const msgs = arr(b.messages).map(obj)
  const messages = msgs.map((m) => ({ role: str(m.role), text: blockText(m.content) }))
  const toolResults = msgs
    .flatMap((m) => arr(m.content).map(obj))
    .filter((blk) => blk.type === 'tool_result')
    .map((blk) => ({ id: str(blk.tool_use_id), content: blockText(blk.content) }))
  const system = typeof b.system === 'string' ? b.system : blockText(b.system)
  return {
    model: str(b.model) || 'unknown',
    stream: b.stream === true,
    ...(system ? { system } : {}),
    messages,
    toolNames: arr(b.tools).map((t) => str(obj(t).name)),
    toolResults,
    lastText: messages.at(-1)?.text ?? '',
  }
}

function usage(plan: PlannedReply, outputTokens = plan.usage.outputTokens) {
  return {
    input_tokens: plan.usage.inputTokens,
    output_tokens: outputTokens,
    cache_read_input_tokens: plan.usage.cachedTokens,
    cache_creation_input_tokens: 0,
  }
}

function message(plan: PlannedReply, req: EmulatedRequest, content: Json[], stop: string | null): Json {
  const u = stop ? usage(plan) : usage(plan, 1)
  return { id: 'msg_emu', type: 'message', role: 'assistant', model: req.model, content, stop_reason: stop, stop_sequence: null, usage: u }
}

function json(plan: PlannedReply, req: EmulatedRequest): unknown {
  const content: Json[] = []
  if (plan.text) content.push({ type: 'text', text: plan.text })
  for (const c of plan.toolCalls) content.push({ type: 'tool_use', id: c.id, name: c.name, input: c.arguments })
  return message(plan, req, content, STOP[plan.stopReason])
}

/** One Anthropic stream event; SSE on the first-party API, base64 `chunk` events on Bedrock. */
export interface AnthropicEvent {
  payload: Json & { type: string }
  tokens: number
}

export function anthropicEvents(plan: PlannedReply, req: EmulatedRequest): AnthropicEvent[] {
  const out: AnthropicEvent[] = []
  const ev = (type: string, data: Json, tokens = 0) => out.push({ payload: { type, ...data }, tokens })
  ev('message_start', { message: message(plan, req, [], null) })
  ev('ping', {})
  let index = 0
  if (plan.tokens.length > 0) {
    ev('content_block_start', { index, content_block: { type: 'text', text: '' } })
    for (const t of plan.tokens) ev('content_block_delta', { index, delta: { type: 'text_delta', text: t } }, 1)
    ev('content_block_stop', { index })
    index += 1
  }
  for (const c of plan.toolCalls) {
    ev('content_block_start', { index, content_block: { type: 'tool_use', id: c.id, name: c.name, input: {} } })
    for (const piece of splitJson(JSON.stringify(c.arguments))) {
      ev('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json: piece } }, 1)
    }
    ev('content_block_stop', { index })
    index += 1
  }
  ev('message_delta', { delta: { stop_reason: STOP[plan.stopReason], stop_sequence: null }, usage: { output_tokens: plan.usage.outputTokens } })
  ev('message_stop', {})
  return out
}

function frames(plan: PlannedReply, req: EmulatedRequest): Frame[] {
  return anthropicEvents(plan, req).map((e) => ({ data: sse(e.payload, e.payload.type), tokens: e.tokens }))
}

function errorType(status: number): string {
  if (status === 429) return 'rate_limit_error'
  if (status === 529) return 'overloaded_error'
  if (status >= 500) return 'api_error'
  if (status === 401) return 'authentication_error'
  if (status === 403) return 'permission_error'
  return 'invalid_request_error'
}

function anthropicError(status: number, message: string): WireError {
  return { body: JSON.stringify({ type: 'error', error: { type: errorType(status), message } }), headers: {} }
}

export const anthropicWire: VendorWire = {
  vendor: 'anthropic',
  idPrefix: 'toolu_',
  streamContentType: 'text/event-stream',
  handles: (url) => url.pathname.endsWith('/v1/messages'),
  parse,
  json,
  frames,
  error: anthropicError,
  malformedFrame: () => 'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{\n\n',
}
