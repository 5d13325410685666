// Maps a normalized ProviderRequest to an OpenAI chat completions request body. Shared by OpenAI,
// Azure OpenAI and OpenAI-compatible servers; only the max-tokens field name differs between them.

import type {
  ChatCompletionCreateParamsNonStreaming,
  ChatCompletionMessageParam,
  ChatCompletionTool,
} from 'openai/resources/chat/completions'
import type { ProviderMessage, ProviderRequest } from '../provider.ts'

/** OpenAI's newer models reject `max_tokens`; many compatible servers only know `max_tokens`. */
export type MaxTokensField = 'max_completion_tokens' | 'max_tokens'

export function toChatParams(req: ProviderRequest, maxTokensField: MaxTokensField): ChatCompletionCreateParamsNonStreaming {
  const messages: ChatCompletionMessageParam[] = []
  if (req.system) messages.push({ role: 'system', content: req.system })
  for (const m of req.messages) messages.push(toMessage(m))
  const params: ChatCompletionCreateParamsNonStreaming = { model: req.model, messages }
  params[maxTokensField] = req.maxTokens ?? 1024
  if (req.temperature !== undefined) params.temperature = req.temperature
  if (req.tools?.length) params.tools = req.tools.map(toTool)
  return params
}

function toMessage(m: ProviderMessage): ChatCompletionMessageParam {
  switch (m.role) {
    case 'user':
      return { role: 'user', content: m.content }
    case 'tool':
      // OpenAI has no error flag on tool results; the prefix keeps the failure visible to the model.
      return { role: 'tool', tool_call_id: m.toolCallId, content: m.isError ? `Error: ${m.content}` : m.content }
    case 'assistant': {
      if (!m.toolCalls?.length) return { role: 'assistant', content: m.content }
      const tool_calls = m.toolCalls.map((c) => ({
        id: c.id,
        type: 'function' as const,
        function: { name: c.name, arguments: JSON.stringify(c.arguments) },
      }))
      return { role: 'assistant', content: m.content || null, tool_calls }
    }
  }
}

function toTool(t: { name: string; description: string; parameters: Record<string, unknown> }): ChatCompletionTool {
  return { type: 'function', function: { name: t.name, description: t.description, parameters: t.parameters } }
}
