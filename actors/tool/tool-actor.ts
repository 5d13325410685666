// The tool pool's handler: runs one tool call through the executor under the call's idempotency key
// (the message id), so a redelivered job never repeats a side effect.
import type { PoolHandlers, PoolResults } from '../protocol.ts'
import { ATTR, withSpan } from '../../lib/spans.ts'

/** What the tool pool needs from the tool layer (implemented by tools/). */
export interface ToolExecutor {
  execute(call: {
    tool: string
    args: Record<string, unknown>
    idempotencyKey: string
    /** Whose call it is: the executor finds the tenant, the agent and what it may use from it. */
    conversationId: string
    turnId: string
    /** The agent and policy versions the turn runs under; absent: those in force. */
    agentRef?: { scope: string; version: number }
    policyRef?: { name: string; scope: string; version: number }
  }): Promise<PoolResults['tool.invoke']>
}

export function createToolHandler(executor: ToolExecutor): PoolHandlers['tool.invoke'] {
  return (req) => withSpan(`execute_tool ${req.payload.tool}`, async (span) => {
    const result = await executor.execute({
      tool: req.payload.tool, args: req.payload.args, idempotencyKey: req.id, conversationId: req.conversationId, turnId: req.payload.turnId,
      ...(req.payload.agentRef ? { agentRef: req.payload.agentRef } : {}), ...(req.payload.policyRef ? { policyRef: req.payload.policyRef } : {}),
    })
    span.annotate(() => ({ 'switchboard.tool.ok': result.ok, ...(result.ok ? {} : { [ATTR.errorType]: result.error.code }) }))
    return result
  }, {
    attributes: () => ({
      [ATTR.operation]: 'execute_tool', [ATTR.toolName]: req.payload.tool, [ATTR.toolCallId]: req.id,
      [ATTR.conversationId]: req.conversationId, [ATTR.turnId]: req.payload.turnId,
    }),
  })
}
