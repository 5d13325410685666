// Maps a normalized ProviderRequest to an Anthropic messages request: system as a top-level field,
// tool results as tool_result blocks in a user turn, consecutive same-role turns merged.

import type {
  ContentBlockParam,
  MessageCreateParamsNonStreaming,
  MessageParam,
  Tool,
} from '@anthropic-ai/sdk/resources/messages/messages'
import type { ProviderMessage, ProviderRequest, ToolSpec } from '../provider.ts'

export function toMessageParams(req: ProviderRequest): MessageCreateParamsNonStreaming {
  const params: MessageCreateParamsNonStreaming = {
    model: req.model,
    max_tokens: req.maxTokens ?? 1024,
    messages: mergeTurns(req.messages.map(toTurn)),
  }
  if (req.system) params.system = req.system
  // `temperature` is not sent: the installed SDK (1.14) no longer has it in the messages params.
  if (req.tools?.length) params.tools = req.tools.map(toTool)
  return params
}

interface Turn {
  role: 'user' | 'assistant'
  blocks: ContentBlockParam[]
}

function toTurn(m: ProviderMessage): Turn {
  switch (m.role) {
    case 'user':
      return { role: 'user', blocks: [{ type: 'text', text: m.content }] }
    case 'tool':
      return {
        role: 'user',
        blocks: [{ type: 'tool_result', tool_use_id: m.toolCallId, content: m.content, ...(m.isError ? { is_error: true } : {}) }],
      }
    case 'assistant': {
      const blocks: ContentBlockParam[] = m.content ? [{ type: 'text', text: m.content }] : []
      for (const c of m.toolCalls ?? []) blocks.push({ type: 'tool_use', id: c.id, name: c.name, input: c.arguments })
      return { role: 'assistant', blocks }
    }
  }
}

// Anthropic requires alternating roles, and all tool results for one assistant turn in one user turn.
function mergeTurns(turns: Turn[]): MessageParam[] {
  const merged: Turn[] = []
  for (const t of turns) {
    const last = merged.at(-1)
    if (last && last.role === t.role) last.blocks.push(...t.blocks)
    else merged.push({ role: t.role, blocks: [...t.blocks] })
  }
  return merged.map((t) => ({ role: t.role, content: t.blocks }))
}

function toTool(t: ToolSpec): Tool {
  return { name: t.name, description: t.description, input_schema: { ...t.parameters, type: 'object' } }
}
