// The declarative resources a team writes (Agent, Tool, McpServer, AgentPolicy, Campaign, RetentionPolicy) and the
// operator's RoutingPolicy: schemas, validation with path-naming errors, diffs between versions, instruction
// templates and CRDs. Pure: no I/O; the store keeps versions.

/**
 * Parses `---`-separated YAML into validated documents (defaults filled), or validates one parsed object.
 * @example const docs = parseResourceDocuments(readFileSync('demo/resources.yaml', 'utf8'), 'demo/resources.yaml')
 */
export { parseResourceDocuments, validateDocument, type ResourceDocument } from './documents.ts'
/** One spec against its kind; throws `InvalidResourceError` (code `resource.invalid`, `details` by path). */
export { validateSpec, tenantWriteProblems, isPlatformScope, InvalidResourceError, type Problem } from './validate.ts'
export { KINDS, RESOURCE_KINDS, APPLY_ORDER, isResourceKind, type ResourceKind, type SpecOf, type KindInfo } from './kinds.ts'
export { diffSpecs, type SpecChange } from './diff.ts'
export { renderTemplate, templateVariables, unknownVariables, BUILTIN_VARIABLES } from './template.ts'
export { resourceCrd } from './crds.ts'
export { AgentSpec, ModelRoute, WORKFLOW_NAMES, workflowTool } from './agent.ts'
export { HttpToolSpec } from './tool.ts'
export { McpServerSpec, mcpToolName } from './mcp-server.ts'
/** Proactive outreach: trigger, audience, template, channel, reply agent, consent, quiet hours and caps. */
export { CampaignSpec, AUDIENCE_FIELDS, OUTREACH_CHANNELS, isTimeZone } from './campaign.ts'
/** How long conversations stay hot, warm and cold, per tenant and agent. */
export { RetentionPolicySpec } from './retention-policy.ts'
export { PLATFORM_TENANT, RESOURCE_NAME_PATTERN, TOOL_NAME_PATTERN } from './fields.ts'
