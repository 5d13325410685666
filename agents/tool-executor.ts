// The tool pool's executor: a call runs only if the conversation's agent may use the tool now and its policy
// allows it, in its tenant's catalogue, exactly once per idempotency key for WRITEs. A tool that times out is
// withdrawn for a while.
import type { AgentDirectory, ToolExecutor } from '../actors/index.ts'
import { TerminalError, toErrorInfo } from '../lib/errors.ts'
import type { Conversations } from '../storage/index.ts'
import type { PolicyCache } from './policy-cache.ts'
import type { PolicyEnforcer } from './policy-enforcer.ts'
import type { ToolCatalogue } from './tool-catalogue.ts'
import { isWorkflowTool, runWorkflowTool } from './workflow-tools.ts'

export interface AgentToolExecutorOptions {
  conversations: Pick<Conversations, 'get'>
  directory: AgentDirectory
  catalogue: Pick<ToolCatalogue, 'forTenant'>
  policies: Pick<PolicyCache, 'resolve' | 'version'>
  enforcer: PolicyEnforcer
  /** The level a turn began with (its conversation type's, or the agent's own): a workflow runs only at operate. */
  turnMode?: (turnId: string) => Promise<'assist' | 'execute' | 'operate' | undefined>
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
  const refuse = (code: 'tool.unknown' | 'agent.unknown' | 'policy.denied', message: string) =>
    ({ ok: false as const, error: toErrorInfo(new TerminalError(code, message)) })
  return {
    async execute(call) {
      const owner = await ownerOf(call.conversationId)
      const agent = owner && (await options.directory.resolve(owner.tenantId, owner.agent, call.agentRef))
      if (!owner || !agent) return refuse('agent.unknown', `conversation ${call.conversationId} has no agent defined`)
      const mode = isWorkflowTool(call.tool) ? await options.turnMode?.(call.turnId) : undefined
      if (!(await agent.allows(owner.tenantId, call.tool, mode))) return refuse('tool.unknown', `tool ${call.tool} is not available to agent ${agent.name}`)
      const policy = call.policyRef && call.policyRef.name === agent.policy
        ? await options.policies.version(agent.policy, call.policyRef)
        : agent.policy ? await options.policies.resolve(owner.tenantId, agent.policy) : undefined
      // An agent that names a policy nobody defined runs nothing: a missing policy must not mean no policy.
      if (agent.policy && !policy) return refuse('policy.denied', `the policy ${agent.policy} of agent ${agent.name} is not defined`)
      const tools = await options.catalogue.forTenant(owner.tenantId)
      const result = await options.enforcer.enforce({
        tenantId: owner.tenantId, conversationId: call.conversationId, turnId: call.turnId, callId: call.idempotencyKey, agent: agent.name,
        maturity: agent.mode, tool: call.tool, args: call.args, policy,
        type: isWorkflowTool(call.tool) ? 'WRITE' : tools.registry.get(call.tool)?.definition.type ?? 'GENERIC',
        lookup: (tool, args, key) => tools.executor.executeTool({ tool, args, idempotencyKey: key, conversationId: call.conversationId, turnId: call.turnId }),
        execute: () => (isWorkflowTool(call.tool)
          ? runWorkflowTool(call.tool, call.args, tools.executor, call.idempotencyKey)
          : tools.executor.executeTool(call)),
      })
      if (!result.ok && result.error.code === 'tool.timeout') tools.withdraw(call.tool, result.error.message)
      return result
    },
  }
}
