// Applying declarative resources, the one path for the API, the CLI, resource files and the Kubernetes
// controller: validate, check what a tenant may declare and what the document refers to, then store a new
// version (none when nothing changed). Deleting checks the other way: nothing in force may still name it.
import { AppError } from '../lib/errors.ts'
import {
  APPLY_ORDER, InvalidResourceError, KINDS, mcpToolName, PLATFORM_TENANT, tenantWriteProblems, validateDocument, validateSpec,
  type Problem, type ResourceDocument, type ResourceKind, type SpecOf,
} from '../resources/index.ts'
import { agentPolicyProblems } from '../policy/index.ts'
import { catalogueView } from './catalogue-view.ts'
import type { ResourceKey, Resources, StoredResource } from '../storage/index.ts'

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

/**
 * Deletes one resource (its history is kept); `conflict` (409) naming every document in force that still names it,
 * since those would fail to load the moment it is gone. Undefined when there is nothing to delete.
 */
export async function deleteResource(deps: ApplyDeps, k: ResourceKey, by: string): Promise<StoredResource | undefined> {
  const current = await deps.resources.get(k)
  if (!current?.spec) return undefined
  const namedBy = await referrers(deps, current)
  if (namedBy.length > 0) {
    throw new AppError('conflict', `${k.kind} ${k.name} is still named by ${namedBy.join(', ')}: change or delete those first`)
  }
  return deps.resources.delete(k, by)
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

type Spec = Record<string, unknown>
const agentTools = (agent: Spec): string[] => (agent.tools as string[] | undefined) ?? []
/** Which documents of which kinds name a resource of each kind, and whether a given one names `target`. */
const NAMED_BY: Partial<Record<ResourceKind, { kind: ResourceKind; names(spec: Spec, target: StoredResource): boolean }>> = {
  RoutingPolicy: { kind: 'Agent', names: (a, t) => (a.model as Spec | undefined)?.routingPolicy === t.name },
  AgentPolicy: { kind: 'Agent', names: (a, t) => a.policy === t.name },
  Tool: { kind: 'Agent', names: (a, t) => agentTools(a).includes(t.name) },
  McpServer: {
    kind: 'Agent',
    names: (a, t) => {
      const prefix = mcpToolName(t.name, t.spec as SpecOf['McpServer'], '')
      return agentTools(a).some((ref) => ref === `${t.name}/*` || (ref.startsWith(prefix) && ref.length > prefix.length))
    },
  },
  Agent: { kind: 'Campaign', names: (c, t) => c.replyAgent === t.name },
}

/**
 * The documents in force that would lose `target`: a tenant's own resource is covered by the platform's of the
 * same name once deleted, and a platform resource stays covered for tenants that declare their own.
 */
async function referrers(deps: ApplyDeps, target: StoredResource): Promise<string[]> {
  const rule = NAMED_BY[target.kind as ResourceKind]
  if (!rule) return []
  const platform = target.tenantId === PLATFORM_TENANT
  if (!platform && await deps.resources.get({ tenantId: PLATFORM_TENANT, kind: target.kind, name: target.name })) return []
  const found: string[] = []
  for (const doc of await deps.resources.inForce(rule.kind)) {
    if (!rule.names(doc.spec ?? {}, target)) continue
    if (!platform && doc.tenantId !== target.tenantId && doc.tenantId !== PLATFORM_TENANT) continue
    if (platform && doc.tenantId !== PLATFORM_TENANT && await deps.resources.get({ tenantId: doc.tenantId, kind: target.kind, name: target.name })) continue
    found.push(`${rule.kind} ${doc.name}${platform ? ` (tenant ${doc.tenantId})` : ''}`)
  }
  return found
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
