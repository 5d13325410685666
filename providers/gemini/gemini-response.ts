// Maps Gemini GenerateContentResponse objects (one, or a stream of them) to the normalized response.
// Gemini reports function calls with finishReason STOP, so tool_use is inferred from the parts.

import type { GenerateContentResponse, Part } from '@google/genai'
import type { ProviderResponse, StopReason, StreamEvent, TokenUsage, ToolCall } from '../provider.ts'
import { ResponseBuilder } from '../response-builder.ts'
import { LOCAL_ID_PREFIX } from './gemini-request.ts'

const FILTERED = new Set(['SAFETY', 'RECITATION', 'BLOCKLIST', 'PROHIBITED_CONTENT', 'SPII', 'IMAGE_SAFETY', 'IMAGE_PROHIBITED_CONTENT'])

export function stopReason(finish: string | undefined, hasCalls: boolean): StopReason {
  if (finish && FILTERED.has(finish)) return 'content_filter'
  if (hasCalls) return 'tool_use'
  if (finish === 'STOP') return 'end'
  if (finish === 'MAX_TOKENS') return 'max_tokens'
  return 'other'
}

/** promptTokenCount includes cached tokens; thinking tokens are billed as output. */
export function usage(res: GenerateContentResponse): TokenUsage | undefined {
  const u = res.usageMetadata
  if (!u) return undefined
  const cachedTokens = u.cachedContentTokenCount ?? 0
  return {
    inputTokens: (u.promptTokenCount ?? 0) - cachedTokens,
    outputTokens: (u.candidatesTokenCount ?? 0) + (u.thoughtsTokenCount ?? 0),
    cachedTokens,
  }
}

class CallIds {
  private n = 0
  next(part: Part): ToolCall | undefined {
    const fc = part.functionCall
    if (!fc?.name) return undefined
    return { id: fc.id ?? `${LOCAL_ID_PREFIX}${this.n++}`, name: fc.name, arguments: fc.args ?? {} }
  }
}

function visibleText(parts: Part[]): string {
  return parts.filter((p) => p.text !== undefined && !p.thought).map((p) => p.text).join('')
}

export function fromResponse(provider: string, model: string, res: GenerateContentResponse): ProviderResponse {
  const b = new ResponseBuilder(provider, res.modelVersion ?? model)
  const candidate = res.candidates?.[0]
  const parts = candidate?.content?.parts ?? []
  const ids = new CallIds()
  b.text = visibleText(parts)
  for (const p of parts) {
    const call = ids.next(p)
    if (call) b.toolCalls.push(call)
  }
  b.usage = usage(res) ?? b.usage
  b.stopReason = res.promptFeedback?.blockReason ? 'content_filter' : stopReason(candidate?.finishReason, b.toolCalls.length > 0)
  return b.build()
}

/** Yields `done` only after a chunk carried a finishReason (or a prompt block), i.e. a complete reply. */
export async function* fromChunks(provider: string, model: string, chunks: AsyncIterable<GenerateContentResponse>): AsyncGenerator<StreamEvent> {
  const b = new ResponseBuilder(provider, model)
  const ids = new CallIds()
  let finish: string | undefined
  for await (const chunk of chunks) {
    const candidate = chunk.candidates?.[0]
    const parts = candidate?.content?.parts ?? []
    const text = visibleText(parts)
    if (text) {
      b.text += text
      yield { type: 'text', delta: text }
    }
    for (const p of parts) {
      const call = ids.next(p)
      if (!call) continue
      b.toolCalls.push(call)
      yield { type: 'tool_call', call }
    }
    b.usage = usage(chunk) ?? b.usage
    finish = chunk.promptFeedback?.blockReason ? 'SAFETY' : (candidate?.finishReason ?? finish)
  }
  if (finish === undefined) return
  b.stopReason = stopReason(finish, b.toolCalls.length > 0)
  yield { type: 'done', response: b.build() }
}
