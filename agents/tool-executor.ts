// The tool pool's executor: a call runs only if the conversation's agent may use the tool now, in its tenant's
// catalogue, exactly once per idempotency key for WRITEs. A tool that times out is withdrawn for a while.
import type { AgentDirectory, ToolExecutor } from '../actors/index.ts'
import { TerminalError, toErrorInfo } from '../lib/errors.ts'
import type { Conversations } from '../storage/index.ts'
import type { ToolCatalogue } from './tool-catalogue.ts'

export interface AgentToolExecutorOptions {
  conversations: Pick<Conversations, 'get'>
  directory: AgentDirectory
  catalogue: Pick<ToolCatalogue, 'forTenant'>
}

// A conversation's tenant and agent never change: remembering them spares a read per tool call.
const MAX_REMEMBERED = 10_000

export function createAgentToolExecutor(options: AgentToolExecutorOptions): ToolExecutor {
  const owners = new Map<string, { tenantId: string; agent: string }>()
  const ownerOf = async (conversationId: string) => {
    const known = owners.get(conversationId)
    if (known) return known
    const c = await options.conversations.get(conversationId)
    if (!c) return undefined
    if (owners.size >= MAX_REMEMBERED) owners.delete(owners.keys().next().value!)
    const owner = { tenantId: c.tenantId, agent: c.agent }
    owners.set(conversationId, owner)
    return owner
  }
  const refuse = (code: 'tool.unknown' | 'agent.unknown', message: string) => ({ ok: false as const, error: toErrorInfo(new TerminalError(code, message)) })
  return {
    async execute(call) {
      const owner = await ownerOf(call.conversationId)
      const agent = owner && (await options.directory.resolve(owner.tenantId, owner.agent))
      if (!owner || !agent) return refuse('agent.unknown', `conversation ${call.conversationId} has no agent defined`)
      if (!(await agent.allows(owner.tenantId, call.tool))) return refuse('tool.unknown', `tool ${call.tool} is not available to agent ${agent.name}`)
      const tools = await options.catalogue.forTenant(owner.tenantId)
      const result = await tools.executor.executeTool(call)
      if (!result.ok && result.error.code === 'tool.timeout') tools.withdraw(call.tool, result.error.message)
      return result
    },
  }
}
