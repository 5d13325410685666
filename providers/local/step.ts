// One step of a tier-1 flow: say something, call one tool, or hand over to a human. The policy allows
// at most one tool call at a time and never a tool call and a reply together, so a step is one of these.

export type Step =
  | { action: 'reply'; text: string; reason: string }
  | { action: 'tool_calls'; tool: string; arguments: Record<string, unknown>; reason: string }
  | { action: 'escalate'; reason: string }

export const reply = (text: string, reason: string): Step => ({ action: 'reply', text, reason })
export const callTool = (tool: string, args: Record<string, unknown>, reason: string): Step =>
  ({ action: 'tool_calls', tool, arguments: args, reason })
export const escalate = (reason: string): Step => ({ action: 'escalate', reason })
