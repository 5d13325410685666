// Maps a normalized ProviderRequest to a Gemini generateContent request: `model` role for the assistant,
// functionCall / functionResponse parts, tools as functionDeclarations with plain JSON Schema.

import type { Content, GenerateContentParameters, Part } from '@google/genai'
import type { ProviderMessage, ProviderRequest } from '../provider.ts'
import { toolResultObject } from '../response-builder.ts'

/** Ids we invent for Gemini calls that came without one; they are never sent back to the API. */
export const LOCAL_ID_PREFIX = 'gemini-local-'

export function toGenerateParams(req: ProviderRequest, abortSignal: AbortSignal): GenerateContentParameters {
  const config: NonNullable<GenerateContentParameters['config']> = { maxOutputTokens: req.maxTokens ?? 1024, abortSignal }
  if (req.system) config.systemInstruction = req.system
  if (req.temperature !== undefined) config.temperature = req.temperature
  if (req.tools?.length) {
    const functionDeclarations = req.tools.map((t) => ({ name: t.name, description: t.description, parametersJsonSchema: t.parameters }))
    config.tools = [{ functionDeclarations }]
  }
  return { model: req.model, contents: mergeContents(req.messages.map(toContent)), config }
}

function vendorId(id: string): { id?: string } {
  return id.startsWith(LOCAL_ID_PREFIX) ? {} : { id }
}

function toContent(m: ProviderMessage): Content {
  switch (m.role) {
    case 'user':
      return { role: 'user', parts: [{ text: m.content }] }
    case 'tool': {
      const response = m.isError ? { error: m.content } : toolResultObject(m.content)
      return { role: 'user', parts: [{ functionResponse: { ...vendorId(m.toolCallId), name: m.name, response } }] }
    }
    case 'assistant': {
      const parts: Part[] = m.content ? [{ text: m.content }] : []
      for (const c of m.toolCalls ?? []) parts.push({ functionCall: { ...vendorId(c.id), name: c.name, args: c.arguments } })
      return { role: 'model', parts }
    }
  }
}

// Gemini expects all functionResponses for one model turn together in the next user turn.
function mergeContents(contents: Content[]): Content[] {
  const merged: Content[] = []
  for (const c of contents) {
    const last = merged.at(-1)
    if (last && last.role === c.role) last.parts = [...(last.parts ?? []), ...(c.parts ?? [])]
    else merged.push({ role: c.role, parts: [...(c.parts ?? [])] })
  }
  return merged
}
