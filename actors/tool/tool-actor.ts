// The tool pool's handler: runs one tool call through the executor under the call's idempotency key
// (the message id), so a redelivered job never repeats a side effect.
import type { PoolHandlers, PoolResults } from '../protocol.ts'

/** What the tool pool needs from the tool layer (implemented by tools/). */
export interface ToolExecutor {
  execute(call: { tool: string; args: Record<string, unknown>; idempotencyKey: string }): Promise<PoolResults['tool.invoke']>
}

export function createToolHandler(executor: ToolExecutor): PoolHandlers['tool.invoke'] {
  return (req) => executor.execute({ tool: req.payload.tool, args: req.payload.args, idempotencyKey: req.id })
}
