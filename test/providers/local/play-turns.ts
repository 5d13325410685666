// Test support: plays customer lines against the local provider the way the agent loop does: one model step at a
// time, every tool call it asks for run by the caller and its result appended, until it replies (six steps a turn
// at most, as the loop allows). The shared core of this folder's conversations; how a tool runs is the caller's.
import type { ProviderMessage, ToolCall, ToolSpec } from '../../../providers/provider.ts'
import { createLocalProvider, type LocalProviderResponse } from '../../../providers/local/index.ts'

const MAX_STEPS = 6
const local = createLocalProvider()

export interface PlayOptions {
  tools: ToolSpec[]
  /** Runs one tool call (the messages so far end with the call); returns the tool message to append. */
  runTool(call: ToolCall, messages: ProviderMessage[]): ProviderMessage | Promise<ProviderMessage>
  /** The conversation before these lines. */
  earlier?: ProviderMessage[]
  /** True on a reply ends the conversation there: the lines left are not said. */
  stopsAfter?(reply: LocalProviderResponse): boolean
}

export interface PlayedTurns {
  messages: ProviderMessage[]
  /** The agent's reply to each customer line, in order. */
  replies: LocalProviderResponse[]
  /** The provider's last answer, a reply or (when a turn ran out of steps) a tool call. */
  last?: LocalProviderResponse
}

export async function playTurns(lines: string[], o: PlayOptions): Promise<PlayedTurns> {
  const messages: ProviderMessage[] = [...(o.earlier ?? [])]
  const replies: LocalProviderResponse[] = []
  let last: LocalProviderResponse | undefined
  for (const content of lines) {
    messages.push({ role: 'user', content })
    for (let step = 0; step < MAX_STEPS; step++) {
      last = await local.complete({ model: 'local', messages, tools: o.tools })
      messages.push({ role: 'assistant', content: last.text, ...(last.toolCalls.length > 0 ? { toolCalls: last.toolCalls } : {}) })
      if (last.toolCalls.length === 0) {
        replies.push(last)
        break
      }
      for (const call of last.toolCalls) messages.push(await o.runTool(call, messages))
    }
    const reply = replies.at(-1)
    if (reply && o.stopsAfter?.(reply)) break
  }
  return { messages, replies, last }
}
