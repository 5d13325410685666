// Maps OpenAI chat completions (JSON and streamed chunks) to the normalized response and stream events.
// Tool calls are emitted whole, once their streamed argument fragments are complete.

import type { ChatCompletion, ChatCompletionChunk } from 'openai/resources/chat/completions'
import type { CompletionUsage } from 'openai/resources/completions'
import type { ProviderResponse, StopReason, StreamEvent, TokenUsage } from '../provider.ts'
import { parseToolArguments, ResponseBuilder } from '../response-builder.ts'

export function stopReason(finish: string | null | undefined): StopReason {
  if (finish === 'stop') return 'end'
  if (finish === 'tool_calls' || finish === 'function_call') return 'tool_use'
  if (finish === 'length') return 'max_tokens'
  if (finish === 'content_filter') return 'content_filter'
  return 'other'
}

/** OpenAI's prompt_tokens includes cached tokens; the normalized inputTokens does not. */
export function usage(u: CompletionUsage | null | undefined): TokenUsage {
  const cachedTokens = u?.prompt_tokens_details?.cached_tokens ?? 0
  return { inputTokens: (u?.prompt_tokens ?? 0) - cachedTokens, outputTokens: u?.completion_tokens ?? 0, cachedTokens }
}

export function fromCompletion(provider: string, completion: ChatCompletion): ProviderResponse {
  const b = new ResponseBuilder(provider, completion.model)
  const choice = completion.choices[0]
  b.text = choice?.message.content ?? ''
  for (const call of choice?.message.tool_calls ?? []) {
    if (call.type !== 'function') continue
    const args = parseToolArguments(provider, call.function.name, call.function.arguments)
    b.toolCalls.push({ id: call.id, name: call.function.name, arguments: args })
  }
  b.usage = usage(completion.usage)
  b.stopReason = stopReason(choice?.finish_reason)
  return b.build()
}

interface PartialCall {
  id: string
  name: string
  args: string
}

/** Reads chunks until the stream ends; yields `done` only if a finish_reason arrived. */
export async function* fromChunks(provider: string, model: string, chunks: AsyncIterable<ChatCompletionChunk>): AsyncGenerator<StreamEvent> {
  const b = new ResponseBuilder(provider, model)
  const partial = new Map<number, PartialCall>()
  let finished = false
  for await (const chunk of chunks) {
    if (chunk.usage) b.usage = usage(chunk.usage)
    const choice = chunk.choices[0]
    if (!choice) continue
    if (choice.delta.content) {
      b.text += choice.delta.content
      yield { type: 'text', delta: choice.delta.content }
    }
    for (const d of choice.delta.tool_calls ?? []) {
      const call = partial.get(d.index) ?? { id: '', name: '', args: '' }
      partial.set(d.index, { id: d.id ?? call.id, name: d.function?.name ?? call.name, args: call.args + (d.function?.arguments ?? '') })
    }
    if (choice.finish_reason) {
      finished = true
      b.stopReason = stopReason(choice.finish_reason)
      yield* flushCalls(provider, b, partial)
    }
  }
  if (finished) yield { type: 'done', response: b.build() }
}

function* flushCalls(provider: string, b: ResponseBuilder, partial: Map<number, PartialCall>): Generator<StreamEvent> {
  for (const [, p] of [...partial].sort(([x], [y]) => x - y)) {
    const call = { id: p.id, name: p.name, arguments: parseToolArguments(provider, p.name, p.args) }
    b.toolCalls.push(call)
    yield { type: 'tool_call', call }
  }
  partial.clear()
}
