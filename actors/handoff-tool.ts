// The platform's handoff tool, offered to every agent whatever model answers: a call opens a real escalation
// with the model's stated reason, exactly as the offline model's own handoff does. It never reaches the tool pool.
import { REASON_CATEGORIES } from '../lib/handoff-reasons.ts'
import type { ToolSpec } from '../providers/index.ts'
import type { ToolCallRef } from './protocol.ts'

export const HANDOFF_TOOL = 'transfer_to_human'
// τ²-bench's retail tool of the same purpose: an agent that lists it gets the same handoff.
const HANDOFF_TOOLS = new Set([HANDOFF_TOOL, 'transfer_to_human_agents'])

// What a model can know about why it hands over; budget, guardrail and platform failures are the platform's to name.
const MODEL_CATEGORIES = REASON_CATEGORIES.filter((c) => !['budget', 'guardrail', 'system_failure', 'approval_needed'].includes(c))

export const handoffToolSpec: ToolSpec = {
  name: HANDOFF_TOOL,
  description: 'Hand the conversation to a human support agent. Use it when the customer asks for a person, or when '
    + 'the request is outside what you can do with your tools and policy. Give the reason; a person takes over at once.',
  parameters: {
    type: 'object',
    properties: {
      reason: { type: 'string', description: 'why a person must take over, in one sentence' },
      category: { type: 'string', enum: [...MODEL_CATEGORIES], description: 'what kind of reason it is' },
    },
    required: ['reason'],
  },
}

/** The tools offered to the model: the agent's, plus the handoff tool unless it already has one. */
export function withHandoffTool(tools: ToolSpec[]): ToolSpec[] {
  return tools.some((t) => HANDOFF_TOOLS.has(t.name)) ? tools : [...tools, handoffToolSpec]
}

/** The reason of a handoff the model asked for, if it asked for one. */
export function handoffRequest(calls: readonly ToolCallRef[]): string | undefined {
  const call = calls.find((c) => HANDOFF_TOOLS.has(c.name))
  if (!call) return undefined
  const stated = call.arguments.reason ?? call.arguments.summary
  const reason = typeof stated === 'string' && stated.trim() ? stated.trim().slice(0, 480) : 'the agent asked for a human'
  const category = MODEL_CATEGORIES.find((c) => c === call.arguments.category)
  return category ? `${category}: ${reason}` : reason
}
