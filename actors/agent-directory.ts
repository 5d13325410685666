// The seam between the actors and the agents a team defines: what a turn needs of its agent (instructions,
// tools offered now, model, mode, messages), implemented by agents/ over the versioned definitions.
import type { AgentPolicySpec } from '../policy/index.ts'
import type { ModelGateway, ToolSpec } from '../providers/index.ts'

/** Which definition a turn runs: the scope it comes from ('*' for the platform, or the tenant) and its version. */
export interface AgentRef {
  scope: string
  version: number
}

/** What the instructions' `{{variables}}` are filled with on a turn. */
export interface TurnVariables {
  tenantId: string
  customerName?: string
  segment?: string
}

export interface OfferedTools {
  offered: ToolSpec[]
  /** Tools the agent lists that are withdrawn right now (a source down, a tool timing out), with why. */
  withdrawn: Array<{ name: string; reason: string }>
}

/** What a turn needs of the agent's AgentPolicy (the tool boundary enforces the rest). */
export interface RunnablePolicy {
  name: string
  /** The policy's own version string and its stored version number. */
  version: string
  /** What a new request of this conversation type calls for; undefined when the agent handles it. */
  topic(intent: string): { action: 'decline' | 'escalate' | 'handoff'; message?: string; agent?: string; rule: string } | undefined
  /** Personal data becomes placeholders before text reaches a vendor model. */
  redactPii: boolean
  /** The checks on what the agent says: grounding, confidence thresholds by maturity, brand voice. */
  guardrails: AgentPolicySpec['guardrails']
  /** Why the next model call may not be made (a spend cap reached), or undefined. */
  modelBudgetReached(subject: { tenantId: string; conversationId: string; customerId?: string }): Promise<string | undefined>
}

export interface RunnableAgent {
  name: string
  ref: AgentRef
  mode: 'assist' | 'execute' | 'operate'
  /** The AgentPolicy it runs under, by name. */
  policy?: string
  knowledgeBase?: string
  /** What the customer hears on a handoff, when the agent defines it. */
  handoffMessage?: string
  instructions(vars: TurnVariables): string
  /** The `{{variables}}` the instructions use, so a caller fetches only what is needed. */
  variables: readonly string[]
  /**
   * The tools offered at `mode`, the level the turn runs at (its conversation type's, or by default the agent's own):
   * workflows are offered at operate only.
   */
  tools(tenantId: string, mode?: 'assist' | 'execute' | 'operate'): Promise<OfferedTools>
  /** Whether the agent may call this tool now at `mode` (listed, and not withdrawn). */
  allows(tenantId: string, tool: string, mode?: 'assist' | 'execute' | 'operate'): Promise<boolean>
  gateway: ModelGateway
  /** The policy in force for the agent; undefined when it names none, or names one nobody defined. */
  policyIn(tenantId: string): Promise<RunnablePolicy | undefined>
}

export interface AgentDirectory {
  /** The exact version a turn began with (`ref`), or the definition in force now; undefined when none exists. */
  resolve(tenantId: string, name: string, ref?: AgentRef): Promise<RunnableAgent | undefined>
}
