// Applying declarative resources, the one path for the API, the CLI, resource files and the Kubernetes
// controller: validate, check what a tenant may declare and what the document refers to, then store a new
// version (none when nothing changed).
import { AppError } from '../lib/errors.ts'
import {
  APPLY_ORDER, InvalidResourceError, KINDS, PLATFORM_TENANT, tenantWriteProblems, validateDocument, validateSpec,
  type Problem, type ResourceDocument, type ResourceKind, type SpecOf,
} from '../resources/index.ts'
import { agentPolicyProblems } from '../policy/index.ts'
import { catalogueView } from './catalogue-view.ts'
import type { Resources, StoredResource } from '../storage/index.ts'

/** A tool every tenant's catalogue has without declaring it. */
export interface BuiltinTool {
  name: string
  type: 'READ' | 'WRITE' | 'GENERIC'
  args: readonly string[]
}

export interface ApplyDeps {
  resources: Resources
  /** The built-in retail tools. */
  builtinTools: readonly BuiltinTool[]
}

/** Who applies: a tenant's key through the API (restricted), or the operator (files, CLI, controller). */
export type Applier = { kind: 'tenant'; tenantId: string; by: string } | { kind: 'operator'; by: string }

export interface ApplyInput<K extends ResourceKind = ResourceKind> {
  kind: K
  name: string
  spec: unknown
  comment?: string
  expectedVersion?: number
}

export interface Applied {
  resource: StoredResource
  changed: boolean
}

/** Validates and stores one resource; throws `resource.invalid` (422) naming each problem, or `conflict` (409). */
export async function applyResource(deps: ApplyDeps, who: Applier, input: ApplyInput): Promise<Applied> {
  const where = `${input.kind} ${input.name}`
  const raw = (typeof input.spec === 'object' && input.spec !== null ? input.spec : {}) as Record<string, unknown>
  const platformKind = KINDS[input.kind].scope === 'platform'
  if (who.kind === 'tenant') {
    if (platformKind) throw new AppError('auth.forbidden', `${input.kind} is a platform document: the operator applies it (admin apply, RESOURCES_DIR or the custom resource)`)
    const problems = tenantWriteProblems(input.kind, raw, who.tenantId)
    if (problems.length > 0) throw new InvalidResourceError(problems, where)
  }
  const tenantId = who.kind === 'tenant' ? who.tenantId : platformKind ? PLATFORM_TENANT : String(raw.tenant ?? PLATFORM_TENANT)
  const spec = validateSpec(input.kind, platformKind ? raw : { ...raw, tenant: tenantId }, where)
  const references = await referenceProblems(deps, tenantId, input.kind, input.name, spec)
  if (references.length > 0) throw new InvalidResourceError(references, where)
  const outcome = await deps.resources.apply({
    tenantId, kind: input.kind, name: input.name, spec: spec as Record<string, unknown>, by: who.by, comment: input.comment,
    expectedVersion: input.expectedVersion,
  })
  if (!outcome.ok) {
    throw new AppError('conflict', `${where} is at version ${outcome.current}, not ${input.expectedVersion}: read it again and reapply`)
  }
  return { resource: outcome.resource, changed: outcome.changed }
}

/** Applies file or controller documents (operator), in an order where what others refer to comes first. */
export async function applyDocuments(deps: ApplyDeps, by: string, docs: ResourceDocument[]): Promise<Applied[]> {
  const sorted = [...docs].sort((a, b) => APPLY_ORDER.indexOf(a.kind) - APPLY_ORDER.indexOf(b.kind))
  const applied: Applied[] = []
  for (const doc of sorted) applied.push(await applyResource(deps, { kind: 'operator', by }, { kind: doc.kind, name: doc.metadata.name, spec: doc.spec }))
  return applied
}

/** Parses one JSON document (`apiVersion`, `kind`, `metadata`, `spec`) as the API receives it. */
export const documentFromJson = (value: unknown): ResourceDocument => validateDocument(value, 'document')

async function referenceProblems<K extends ResourceKind>(deps: ApplyDeps, tenantId: string, kind: K, name: string, spec: SpecOf[K]): Promise<Problem[]> {
  if (kind === 'AgentPolicy') {
    const view = await catalogueView(deps, tenantId)
    return agentPolicyProblems(name, spec as SpecOf['AgentPolicy'], view.catalogue).map(toProblem)
  }
  if (kind === 'RetentionPolicy') return retentionSelectorProblems(deps, tenantId, name, spec as SpecOf['RetentionPolicy'])
  if (kind === 'Campaign') {
    const { replyAgent } = spec as SpecOf['Campaign']
    const found = await deps.resources.resolve({ tenantId, kind: 'Agent', name: replyAgent })
    return found ? [] : [{ path: '/spec/replyAgent', message: `no Agent "${replyAgent}" for tenant ${tenantId}` }]
  }
  if (kind !== 'Agent') return []
  const agent = spec as SpecOf['Agent']
  const view = await catalogueView(deps, tenantId)
  const problems: Problem[] = []
  agent.tools.forEach((ref, i) => {
    const wildcard = ref.endsWith('/*') ? ref.slice(0, -2) : undefined
    if (wildcard !== undefined ? !view.sources.has(wildcard) : !view.catalogue.tool(ref)) {
      problems.push({ path: `/spec/tools/${i}`, message: `unknown ${wildcard !== undefined ? 'tool source' : 'tool'} "${ref}" in tenant ${tenantId}'s catalogue` })
    }
  })
  if (agent.policy && !(await deps.resources.resolve({ tenantId, kind: 'AgentPolicy', name: agent.policy }))) {
    problems.push({ path: '/spec/policy', message: `no AgentPolicy "${agent.policy}" for tenant ${tenantId}` })
  }
  const routing = agent.model?.routingPolicy
  if (routing && !(await deps.resources.get({ tenantId: PLATFORM_TENANT, kind: 'RoutingPolicy', name: routing }))) {
    problems.push({ path: '/spec/model/routingPolicy', message: `no RoutingPolicy "${routing}" in force` })
  }
  return problems
}

/** Two policies selecting the same agent of the same tenant would leave which one applies to chance. */
async function retentionSelectorProblems(deps: ApplyDeps, tenantId: string, name: string, spec: SpecOf['RetentionPolicy']): Promise<Problem[]> {
  const own = (await deps.resources.list(tenantId, 'RetentionPolicy')).filter((r) => r.tenantId === tenantId && r.name !== name)
  const taken = own.find((r) => r.spec?.agent === spec.agent)
  return taken ? [{ path: '/spec/agent', message: `RetentionPolicy "${taken.name}" already selects agent "${spec.agent}" of tenant ${tenantId}` }] : []
}

const toProblem = (line: string): Problem => {
  const at = line.indexOf(': ')
  return { path: line.slice(0, at), message: line.slice(at + 2) }
}

/** The kinds' API collections: `/v1/agents`, `/v1/tools`, `/v1/mcpservers`. */
export const collectionOf = (kind: ResourceKind): string => KINDS[kind].plural
