// AgentPolicy: the governance the platform enforces below any model. Schema, compilation into decisions
// (allow, deny, confirm, approve), result checks, topic boundaries, and the load-time checks and examples that
// keep a policy from failing open. Pure: the tool boundary (agents/) supplies lookups and state.
export { AgentPolicySpec, Condition, ToolRule, TopicAction, Ref } from './schema.ts'
export { compileAgentPolicy, type CallFacts, type CompiledAgentPolicy, type Maturity, type PolicyDecision, type ToolType } from './compile.ts'
export { agentPolicyProblems, type CatalogueView } from './problems.ts'
export { answerOf, actionKey, detailsShown, type Answer } from './consent.ts'
export { isNewRequest } from './topic.ts'
