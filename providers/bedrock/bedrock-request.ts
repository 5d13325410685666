// Maps a normalized ProviderRequest to a Bedrock Converse request: system blocks, toolUse/toolResult
// content blocks, tools as toolSpec with a JSON Schema document, consecutive same-role turns merged.

import type { ContentBlock, ConverseCommandInput, Message, Tool, ToolInputSchema } from '@aws-sdk/client-bedrock-runtime'
import type { ProviderMessage, ProviderRequest, ToolSpec } from '../provider.ts'

type Json = NonNullable<Extract<ContentBlock, { toolUse: unknown }>['toolUse']>['input']

export function toConverseInput(req: ProviderRequest): ConverseCommandInput {
  const input: ConverseCommandInput = {
    modelId: req.model,
    messages: mergeTurns(req.messages.map(toMessage)),
    inferenceConfig: { maxTokens: req.maxTokens ?? 1024, ...(req.temperature !== undefined ? { temperature: req.temperature } : {}) },
  }
  if (req.system) input.system = [{ text: req.system }]
  if (req.tools?.length) input.toolConfig = { tools: req.tools.map(toTool) }
  return input
}

function toMessage(m: ProviderMessage): Message {
  switch (m.role) {
    case 'user':
      return { role: 'user', content: [{ text: m.content }] }
    case 'tool':
      return {
        role: 'user',
        content: [{ toolResult: { toolUseId: m.toolCallId, content: [{ text: m.content }], status: m.isError ? 'error' : 'success' } }],
      }
    case 'assistant': {
      const content: ContentBlock[] = m.content ? [{ text: m.content }] : []
      for (const c of m.toolCalls ?? []) content.push({ toolUse: { toolUseId: c.id, name: c.name, input: c.arguments as Json } })
      return { role: 'assistant', content }
    }
  }
}

// Converse requires alternating roles, with every toolResult for one assistant turn in the next user turn.
function mergeTurns(messages: Message[]): Message[] {
  const merged: Message[] = []
  for (const m of messages) {
    const last = merged.at(-1)
    if (last && last.role === m.role) last.content = [...(last.content ?? []), ...(m.content ?? [])]
    else merged.push({ role: m.role, content: [...(m.content ?? [])] })
  }
  return merged
}

function toTool(t: ToolSpec): Tool {
  return { toolSpec: { name: t.name, description: t.description, inputSchema: { json: t.parameters as Json } as ToolInputSchema } }
}
