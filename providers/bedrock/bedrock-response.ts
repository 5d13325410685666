// Maps Bedrock Converse output and ConverseStream events to the normalized response and stream events.
// toolUse input arrives as JSON string fragments and is emitted whole at contentBlockStop.

import type { ConverseCommandOutput, ConverseStreamOutput, TokenUsage as BedrockUsage } from '@aws-sdk/client-bedrock-runtime'
import type { ProviderResponse, StopReason, StreamEvent, TokenUsage } from '../provider.ts'
import { parseToolArguments, ResponseBuilder } from '../response-builder.ts'

export function stopReason(reason: string | undefined): StopReason {
  if (reason === 'end_turn' || reason === 'stop_sequence') return 'end'
  if (reason === 'tool_use') return 'tool_use'
  if (reason === 'max_tokens' || reason === 'model_context_window_exceeded') return 'max_tokens'
  if (reason === 'content_filtered' || reason === 'guardrail_intervened') return 'content_filter'
  return 'other'
}

/** Bedrock's inputTokens excludes cache reads; cache writes are counted as input. */
export function usage(u: BedrockUsage | undefined): TokenUsage {
  return {
    inputTokens: (u?.inputTokens ?? 0) + (u?.cacheWriteInputTokens ?? 0),
    outputTokens: u?.outputTokens ?? 0,
    cachedTokens: u?.cacheReadInputTokens ?? 0,
  }
}

export function fromConverse(provider: string, model: string, out: ConverseCommandOutput): ProviderResponse {
  const b = new ResponseBuilder(provider, model)
  for (const block of out.output?.message?.content ?? []) {
    if (block.text !== undefined) b.text += block.text
    const tu = block.toolUse
    if (tu?.name) b.toolCalls.push({ id: tu.toolUseId ?? '', name: tu.name, arguments: parseToolArguments(provider, tu.name, JSON.stringify(tu.input ?? {})) })
  }
  b.usage = usage(out.usage)
  b.stopReason = stopReason(out.stopReason)
  return b.build()
}

interface OpenTool {
  id: string
  name: string
  json: string
}

/** Yields `done` at the metadata event that follows messageStop (usage arrives last on Bedrock). */
export async function* fromStream(provider: string, model: string, events: AsyncIterable<ConverseStreamOutput>): AsyncGenerator<StreamEvent> {
  const b = new ResponseBuilder(provider, model)
  const open = new Map<number, OpenTool>()
  let stopped = false
  for await (const ev of events) {
    const start = ev.contentBlockStart?.start?.toolUse
    if (start) open.set(ev.contentBlockStart?.contentBlockIndex ?? 0, { id: start.toolUseId ?? '', name: start.name ?? '', json: '' })
    const delta = ev.contentBlockDelta
    if (delta?.delta?.text) {
      b.text += delta.delta.text
      yield { type: 'text', delta: delta.delta.text }
    }
    const tool = open.get(delta?.contentBlockIndex ?? -1)
    if (tool && delta?.delta?.toolUse?.input) tool.json += delta.delta.toolUse.input
    const stopIndex = ev.contentBlockStop?.contentBlockIndex
    const done = stopIndex === undefined ? undefined : open.get(stopIndex)
    if (stopIndex !== undefined && done) {
      open.delete(stopIndex)
      const call = { id: done.id, name: done.name, arguments: parseToolArguments(provider, done.name, done.json) }
      b.toolCalls.push(call)
      yield { type: 'tool_call', call }
    }
    if (ev.messageStop) {
      stopped = true
      b.stopReason = stopReason(ev.messageStop.stopReason)
    }
    if (ev.metadata) b.usage = usage(ev.metadata.usage)
  }
  if (stopped) yield { type: 'done', response: b.build() }
}
