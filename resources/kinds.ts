// The resource kinds a team declares, each with its spec schema, the checks its schema cannot express, and
// its names in the API and in Kubernetes. One table, so files, the API, the store and the CRDs agree.
import type { Static, TObject } from '@sinclair/typebox'
import { AgentSpec, agentProblems } from './agent.ts'
import { McpServerSpec, mcpServerProblems } from './mcp-server.ts'
import { HttpToolSpec, toolProblems } from './tool.ts'
import { CampaignSpec, campaignProblems } from './campaign.ts'
import { RetentionPolicySpec } from './retention-policy.ts'
import { unknownVariables } from './template.ts'
import { AgentPolicySpec, RoutingPolicySpec, routingSpecProblems } from '../policy/index.ts'

export interface KindInfo<S extends TObject = TObject> {
  kind: string
  spec: S
  /** The API collection (`/v1/agents`) and the CRD's plural. */
  plural: string
  shortNames: string[]
  problems(spec: Static<S>): string[]
  /**
   * `tenant`: each tenant declares its own (`spec.tenant`), over the platform's of the same name. `platform`: one
   * set for the whole deployment, declared by the operator only (its spec has no tenant).
   */
  scope: 'tenant' | 'platform'
  /** `kubectl get` columns. */
  columns: Array<{ name: string; type: 'string' | 'integer'; field: string }>
}

const info = <S extends TObject>(k: KindInfo<S>): KindInfo => k as unknown as KindInfo

export const KINDS = {
  Agent: info({
    kind: 'Agent', scope: 'tenant', spec: AgentSpec, plural: 'agents', shortNames: ['sba'],
    problems: (spec) => [
      ...agentProblems(spec),
      ...unknownVariables(spec.instructions, Object.keys(spec.variables ?? {}))
        .map((v) => `/spec/instructions: unknown variable {{${v}}} (define it under variables)`),
    ],
    columns: [{ name: 'Mode', type: 'string', field: 'mode' }, { name: 'Policy', type: 'string', field: 'policy' }],
  }),
  Tool: info({
    kind: 'Tool', scope: 'tenant', spec: HttpToolSpec, plural: 'tools', shortNames: ['sbt'], problems: toolProblems,
    columns: [{ name: 'Type', type: 'string', field: 'type' }, { name: 'URL', type: 'string', field: 'http.url' }],
  }),
  AgentPolicy: info({
    kind: 'AgentPolicy', scope: 'tenant', spec: AgentPolicySpec, plural: 'agentpolicies', shortNames: ['agp'], problems: () => [],
    columns: [{ name: 'Version', type: 'string', field: 'version' }],
  }),
  McpServer: info({
    kind: 'McpServer', scope: 'tenant', spec: McpServerSpec, plural: 'mcpservers', shortNames: ['mcp'], problems: mcpServerProblems,
    columns: [{ name: 'URL', type: 'string', field: 'transport.http.url' }],
  }),
  Campaign: info({
    kind: 'Campaign', scope: 'tenant', spec: CampaignSpec, plural: 'campaigns', shortNames: ['sbc'], problems: campaignProblems,
    columns: [{ name: 'Channel', type: 'string', field: 'channel' }, { name: 'Agent', type: 'string', field: 'replyAgent' }],
  }),
  /** Names the deployment's providers (ROUTING_PROVIDERS) and budgets every tenant: the operator's alone. */
  RoutingPolicy: info({
    kind: 'RoutingPolicy', scope: 'platform', spec: RoutingPolicySpec, plural: 'routingpolicies', shortNames: ['rtp'], problems: routingSpecProblems,
    columns: [{ name: 'Version', type: 'string', field: 'version' }],
  }),
  RetentionPolicy: info({
    kind: 'RetentionPolicy', scope: 'tenant', spec: RetentionPolicySpec, plural: 'retentionpolicies', shortNames: ['rtn'], problems: () => [],
    columns: [
      { name: 'Version', type: 'integer', field: 'version' },
      { name: 'Tenant', type: 'string', field: 'tenant' },
      { name: 'Agent', type: 'string', field: 'agent' },
    ],
  }),
} as const

export type ResourceKind = keyof typeof KINDS
export const RESOURCE_KINDS = Object.keys(KINDS) as ResourceKind[]

/** The order a set of documents is applied in: what others refer to comes first. */
export const APPLY_ORDER: readonly ResourceKind[] = ['RoutingPolicy', 'RetentionPolicy', 'Tool', 'McpServer', 'AgentPolicy', 'Agent', 'Campaign']

export interface SpecOf {
  Agent: Static<typeof AgentSpec>
  AgentPolicy: Static<typeof AgentPolicySpec>
  Tool: Static<typeof HttpToolSpec>
  McpServer: Static<typeof McpServerSpec>
  Campaign: Static<typeof CampaignSpec>
  RoutingPolicy: Static<typeof RoutingPolicySpec>
  RetentionPolicy: Static<typeof RetentionPolicySpec>
}

export const isResourceKind = (k: unknown): k is ResourceKind => typeof k === 'string' && Object.hasOwn(KINDS, k)
