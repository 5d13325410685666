// The Agent resource: what a team defines to run a support agent. Its instructions, model route, tools,
// knowledge, policy, mode and messages; versioned by the store, validated here. Pure.
import { Type, type Static } from '@sinclair/typebox'
import { AgentMode, closed, ResourceName, Tenant, ToolName } from './fields.ts'

const Usd = Type.Number({ minimum: 0, description: 'US dollars per million tokens' })

/** The vendor's price, so a direct model route is costed like a routed one. */
export const ModelPrice = Type.Object({ input: Usd, output: Usd, cached: Type.Optional(Usd) }, closed)

/**
 * Which model answers: a RoutingPolicy resource by name, or one provider's model with an
 * ordered fallback (`local`, `openai:gpt-4o-mini`). Absent: the deployment's default model.
 */
export const ModelRoute = Type.Object({
  routingPolicy: Type.Optional(ResourceName),
  /** A provider configured in ROUTING_PROVIDERS, or `local`. */
  provider: Type.Optional(ResourceName),
  /** The vendor's model id. @defaultValue the provider's name */
  model: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  pricePerMTok: Type.Optional(ModelPrice),
  /** Tried in order when the provider fails: `provider` or `provider:model`. */
  fallback: Type.Optional(Type.Array(Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]*(:[^\\s]+)?$' }), { maxItems: 5 })),
}, closed)
export type ModelRoute = Static<typeof ModelRoute>

/** The Operate-level workflows an agent may run, each offered to the model as a tool. */
export const WORKFLOW_NAMES = ['refund', 'account-change', 'billing-dispute'] as const
export const WorkflowName = Type.Union(WORKFLOW_NAMES.map((w) => Type.Literal(w)))

/** A tool of the tenant's catalogue by name, or every tool of one source: `retail/*`, `<mcp server>/*`. */
export const ToolRef = Type.String({ pattern: '^([A-Za-z0-9_-]{1,64}|[A-Za-z0-9][A-Za-z0-9_.-]{0,63}/\\*)$', description: 'a tool name or <source>/*' })

export const AgentSpec = Type.Object({
  tenant: Tenant,
  description: Type.Optional(Type.String({ maxLength: 500 })),
  /** The system prompt; `{{customer.name}}`, `{{agent.language}}`, `{{today}}` and `variables` are filled per turn. */
  instructions: Type.String({ minLength: 1, maxLength: 100_000 }),
  /** Fixed values for the instructions' own `{{variables}}`. */
  variables: Type.Optional(Type.Record(Type.String({ pattern: '^[a-z][a-zA-Z0-9_]{0,40}$' }), Type.String({ maxLength: 4000 }))),
  model: Type.Optional(ModelRoute),
  /** Tools from the tenant's catalogue; `transfer_to_human` is always offered. @defaultValue [] */
  tools: Type.Array(ToolRef, { default: [], maxItems: 200 }),
  /** Workflows offered as tools while the agent is in operate mode (and refused in the others). */
  workflows: Type.Optional(Type.Array(WorkflowName, { maxItems: WORKFLOW_NAMES.length })),
  /** The knowledge base retrieved from on each turn. */
  knowledgeBase: Type.Optional(ResourceName),
  /** The AgentPolicy the platform enforces on this agent's turns and tool calls. */
  policy: Type.Optional(ResourceName),
  /** assist drafts for people; execute answers tier-1 itself; operate may also run workflows. @defaultValue 'execute' */
  mode: Type.Union(AgentMode.anyOf, { default: 'execute' }),
  /** Stored and returned when a conversation with this agent is created. */
  greeting: Type.Optional(Type.String({ minLength: 1, maxLength: 2000 })),
  /** What the customer hears when the conversation goes to a person. @defaultValue the platform's handoff message */
  handoffMessage: Type.Optional(Type.String({ minLength: 1, maxLength: 2000 })),
  /** BCP 47 language tag, for the instructions' `{{agent.language}}`. @defaultValue 'en' */
  language: Type.String({ default: 'en', pattern: '^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$' }),
}, closed)
export type AgentSpec = Static<typeof AgentSpec>

/** The tool a workflow is offered as: `run_refund_workflow`. */
export const workflowTool = (workflow: (typeof WORKFLOW_NAMES)[number]): Static<typeof ToolName> =>
  `run_${workflow.replaceAll('-', '_')}_workflow`

/** Problems the schema cannot express; each names its path. */
export function agentProblems(spec: AgentSpec): string[] {
  const problems: string[] = []
  const m = spec.model
  if (m) {
    if (!m.routingPolicy === !m.provider) problems.push('/spec/model: set exactly one of routingPolicy or provider')
    if (m.routingPolicy && (m.model || m.fallback || m.pricePerMTok)) {
      problems.push('/spec/model: model, pricePerMTok and fallback go with provider, not routingPolicy')
    }
  }
  const dup = spec.tools.find((t, i) => spec.tools.indexOf(t) !== i)
  if (dup) problems.push(`/spec/tools: "${dup}" is listed twice`)
  return problems
}
