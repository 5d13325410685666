// The agents a team defines, as workers run them: each tenant's tool catalogue (built-in, HTTP and MCP tools,
// hot-reloaded, failing sources withdrawn), each agent's compiled definition and model gateway, and the tool
// pool's executor that only runs what the conversation's agent may use. Built by the composition root.

/**
 * Each tenant's tools in this worker.
 * @example const catalogue = createToolCatalogue({ resources, status, sql, builtin: RETAIL_TOOLS, secrets, env, … })
 */
export { createToolCatalogue, type ToolCatalogue, type ToolCatalogueOptions, type TenantTools, type Withdrawal } from './tool-catalogue.ts'
/** The agents by tenant and name, implementing the actors' `AgentDirectory`. */
export { createAgentDirectory, expandToolRefs, type AgentDirectoryOptions } from './directory.ts'
/** Model gateways per agent: a routing policy by name, a direct provider model, or the default. */
export { createModelRoutes, type ModelRoutes, type ModelRouteDeps } from './model-routes.ts'
/** The tool pool's executor. */
export { createAgentToolExecutor, type AgentToolExecutorOptions } from './tool-executor.ts'
export { isPrivateAddress, checkAddress } from './network-guard.ts'
/** AgentPolicy enforcement at the tool boundary, and the compiled policies in force. */
export { createPolicyEnforcer, type PolicyEnforcer, type EnforcerDeps, type EnforcedCall } from './policy-enforcer.ts'
export { createPolicyCache, type PolicyCache, type PolicyInForce } from './policy-cache.ts'
/** The Operate-level workflows offered as tools. */
export { WORKFLOW_TOOLS, isWorkflowTool, workflowSpecs } from './workflow-tools.ts'
