// Turns a scripted Reply into the pieces every wire format needs: tokens, tool call ids, usage, stop reason.
// Token counts are approximations (words), which is all the tests and benchmarks need.

import type { EmulatedRequest, Reply, ScriptedToolCall } from './types.ts'

export interface PlannedReply {
  tokens: string[]
  text: string
  toolCalls: Required<ScriptedToolCall>[]
  stopReason: NonNullable<Reply['stopReason']>
  usage: { inputTokens: number; outputTokens: number; cachedTokens: number }
}

/** Splits text into word-sized tokens that concatenate back to the original text. */
export function tokenize(text: string): string[] {
  return text.match(/\s*\S+\s*|\s+/g) ?? []
}

export function planReply(reply: Reply, req: EmulatedRequest, idPrefix: string): PlannedReply {
  const text = reply.text ?? ''
  const tokens = tokenize(text)
  const toolCalls = (reply.toolCalls ?? []).map((c, i) => ({
    id: c.id ?? `${idPrefix}${crypto.randomUUID().replaceAll('-', '').slice(0, 20)}${i}`,
    name: c.name,
    arguments: c.arguments,
  }))
  const argTokens = toolCalls.reduce((n, c) => n + tokenize(JSON.stringify(c.arguments)).length, 0)
  const stopReason = reply.stopReason ?? (toolCalls.length > 0 ? 'tool_use' : 'end')
  const usage = {
    inputTokens: reply.usage?.inputTokens ?? estimateInput(req),
    outputTokens: reply.usage?.outputTokens ?? Math.max(1, tokens.length + argTokens),
    cachedTokens: reply.usage?.cachedTokens ?? 0,
  }
  return { tokens, text, toolCalls, stopReason, usage }
}

function estimateInput(req: EmulatedRequest): number {
  const chars = (req.system ?? '').length + req.messages.reduce((n, m) => n + m.text.length, 0)
  return Math.max(1, Math.ceil(chars / 4))
}

/** Splits a JSON string into a few pieces, the way vendors stream tool arguments. */
export function splitJson(json: string, pieces = 3): string[] {
  const size = Math.max(1, Math.ceil(json.length / pieces))
  const out: string[] = []
  for (let i = 0; i < json.length; i += size) out.push(json.slice(i, i + size))
  return out.length > 0 ? out : ['']
}
