// Maps Anthropic messages (JSON and the raw SSE event sequence) to the normalized response and events.
// A tool_use block is emitted once its input_json_delta fragments end at content_block_stop.

import type { Message, RawMessageStreamEvent } from '@anthropic-ai/sdk/resources/messages/messages'
import type { ProviderResponse, StopReason, StreamEvent, TokenUsage } from '../provider.ts'
import { parseToolArguments, ResponseBuilder } from '../response-builder.ts'

export function stopReason(reason: string | null | undefined): StopReason {
  if (reason === 'end_turn' || reason === 'stop_sequence') return 'end'
  if (reason === 'tool_use') return 'tool_use'
  if (reason === 'max_tokens' || reason === 'model_context_window_exceeded') return 'max_tokens'
  if (reason === 'refusal') return 'content_filter'
  return 'other'
}

interface AnthropicUsage {
  input_tokens?: number | null
  output_tokens?: number | null
  cache_read_input_tokens?: number | null
  cache_creation_input_tokens?: number | null
}

/** Cache writes are billed as input here (slightly under their 1.25x price); cache reads are `cachedTokens`. */
export function usage(u: AnthropicUsage, prev?: TokenUsage): TokenUsage {
  const input = u.input_tokens ?? null
  const created = u.cache_creation_input_tokens ?? 0
  return {
    inputTokens: input === null ? (prev?.inputTokens ?? 0) : input + created,
    outputTokens: u.output_tokens ?? prev?.outputTokens ?? 0,
    cachedTokens: u.cache_read_input_tokens ?? prev?.cachedTokens ?? 0,
  }
}

export function fromMessage(provider: string, msg: Message): ProviderResponse {
  const b = new ResponseBuilder(provider, msg.model)
  for (const block of msg.content) {
    if (block.type === 'text') b.text += block.text
    if (block.type === 'tool_use') b.toolCalls.push({ id: block.id, name: block.name, arguments: toolInput(provider, block.name, block.input) })
  }
  b.usage = usage(msg.usage)
  b.stopReason = stopReason(msg.stop_reason)
  return b.build()
}

function toolInput(provider: string, name: string, input: unknown): Record<string, unknown> {
  return parseToolArguments(provider, name, JSON.stringify(input ?? {}))
}

interface OpenBlock {
  id: string
  name: string
  json: string
}

/** Yields `done` only at message_stop, so a stream cut anywhere before it is detected upstream. */
export async function* fromEvents(provider: string, model: string, events: AsyncIterable<RawMessageStreamEvent>): AsyncGenerator<StreamEvent> {
  const b = new ResponseBuilder(provider, model)
  const open = new Map<number, OpenBlock>()
  for await (const ev of events) {
    if (ev.type === 'message_start') b.usage = usage(ev.message.usage)
    else if (ev.type === 'content_block_start' && ev.content_block.type === 'tool_use') {
      open.set(ev.index, { id: ev.content_block.id, name: ev.content_block.name, json: '' })
    } else if (ev.type === 'content_block_delta') {
      const text = onDelta(ev, open)
      if (text) {
        b.text += text
        yield { type: 'text', delta: text }
      }
    } else if (ev.type === 'content_block_stop') {
      const blk = open.get(ev.index)
      if (!blk) continue
      open.delete(ev.index)
      const call = { id: blk.id, name: blk.name, arguments: parseToolArguments(provider, blk.name, blk.json) }
      b.toolCalls.push(call)
      yield { type: 'tool_call', call }
    } else if (ev.type === 'message_delta') {
      b.stopReason = stopReason(ev.delta.stop_reason)
      b.usage = usage(ev.usage, b.usage)
    } else if (ev.type === 'message_stop') {
      yield { type: 'done', response: b.build() }
      return
    }
  }
}

function onDelta(ev: Extract<RawMessageStreamEvent, { type: 'content_block_delta' }>, open: Map<number, OpenBlock>): string {
  if (ev.delta.type === 'text_delta') return ev.delta.text
  const blk = open.get(ev.index)
  if (ev.delta.type === 'input_json_delta' && blk) blk.json += ev.delta.partial_json
  return ''
}
