// The agents of every tenant as this worker runs them: a definition version compiled once (its instructions
// template and model gateway) and cached, since a version never changes; what is in force now is looked up again
// every few seconds. The tools an agent is offered come from its tenant's catalogue at the time of the call.
import type { AgentDirectory, AgentRef, OfferedTools, RunnableAgent } from '../actors/index.ts'
import { renderTemplate, templateVariables, type SpecOf } from '../resources/index.ts'
import type { Resources, StoredResource } from '../storage/index.ts'
import type { ModelRoutes } from './model-routes.ts'
import type { TenantTools, ToolCatalogue } from './tool-catalogue.ts'
import type { PolicyCache } from './policy-cache.ts'
import { workflowSpecs } from './workflow-tools.ts'

export interface AgentDirectoryOptions {
  /** What the routing budgets' counters say was spent on models (for the policy's model spend caps). */
  modelSpend(subject: { tenantId: string; conversationId: string; customerId?: string }): Promise<{ conversation?: number; customerDay?: number; tenantDay?: number }>
  resources: Pick<Resources, 'resolve' | 'version'>
  policies: Pick<PolicyCache, 'resolve'>
  catalogue: Pick<ToolCatalogue, 'forTenant'>
  models: Pick<ModelRoutes, 'gatewayFor'>
  /** How long "the definition in force" is trusted before it is read again. @defaultValue 2000 */
  refreshMs?: number
  clock?: () => Date
}

// Bounds memory for a worker that has served many versions of many agents.
const MAX_COMPILED = 2000

/** The catalogue names an agent's `tools` list expands to: a name, or every tool of a source (`retail/*`). */
export function expandToolRefs(refs: readonly string[], tools: Pick<TenantTools, 'sources' | 'registry'>): string[] {
  const names = refs.flatMap((ref) => (ref.endsWith('/*') ? [...(tools.sources.get(ref.slice(0, -2)) ?? [])] : [ref]))
  return [...new Set(names)].filter((n) => tools.registry.get(n) && !tools.registry.get(n)!.definition.internal)
}

/** Whether every tool and source an agent lists is in the catalogue (loaded, or known to have failed). */
function knowsAll(refs: readonly string[], tools: Pick<TenantTools, 'sources' | 'registry' | 'withdrawn'>): boolean {
  const failed = new Set(tools.withdrawn().map((w) => w.name))
  return refs.every((ref) => (ref.endsWith('/*') ? tools.sources.has(ref.slice(0, -2)) || failed.has(ref.slice(0, -2)) : tools.registry.get(ref) !== undefined || failed.has(ref)))
}

export function createAgentDirectory(options: AgentDirectoryOptions): AgentDirectory {
  const refreshMs = options.refreshMs ?? 2000
  const today = () => (options.clock?.() ?? new Date()).toISOString().slice(0, 10)
  const compiled = new Map<string, RunnableAgent>()
  const inForce = new Map<string, { ref: AgentRef | undefined; at: number }>()

  function compile(row: StoredResource): RunnableAgent {
    const spec = row.spec as unknown as SpecOf['Agent']
    const ref = { scope: row.tenantId, version: row.version }
    const offered = async (tenantId: string, mode = spec.mode): Promise<OfferedTools & { names: string[] }> => {
      let tools = await options.catalogue.forTenant(tenantId)
      // An agent newer than this worker's view of the catalogue may list tools declared a moment ago.
      if (!knowsAll(spec.tools, tools)) tools = await options.catalogue.forTenant(tenantId, { fresh: true })
      const listed = expandToolRefs(spec.tools, tools)
      const withdrawn = tools.withdrawn().filter((w) => listed.includes(w.name) || tools.sources.has(w.name))
      const names = listed.filter((n) => !withdrawn.some((w) => w.name === n))
      const offered = tools.registry.specs(names).map(({ name, description, parameters }) => ({ name, description, parameters }))
      // Workflows are the Operate level: offered (and allowed) only at that level.
      const workflows = mode === 'operate' ? workflowSpecs(spec.workflows ?? []) : []
      return { names: [...names, ...workflows.map((w) => w.name)], offered: [...offered, ...workflows], withdrawn }
    }
    // Each model call renders the instructions, nearly always with the values of the call before.
    let rendered: { key: string; text: string } | undefined
    return {
      name: row.name, ref, mode: spec.mode, policy: spec.policy, knowledgeBase: spec.knowledgeBase, handoffMessage: spec.handoffMessage,
      instructions: (vars) => {
        const values = { 'tenant.id': vars.tenantId, 'customer.name': vars.customerName, 'customer.segment': vars.segment, today: today() }
        const key = JSON.stringify(values)
        if (rendered?.key !== key) rendered = { key, text: renderTemplate(spec.instructions, { ...spec.variables, 'agent.name': row.name, 'agent.language': spec.language, ...values }) }
        return rendered.text
      },
      variables: templateVariables(spec.instructions),
      tools: async (tenantId, mode) => {
        const { offered: list, withdrawn } = await offered(tenantId, mode)
        return { offered: list, withdrawn }
      },
      allows: async (tenantId, tool, mode) => (await offered(tenantId, mode)).names.includes(tool),
      gateway: options.models.gatewayFor(spec.model, row.name),
      policyIn: async (tenantId) => {
        const found = spec.policy ? await options.policies.resolve(tenantId, spec.policy) : undefined
        if (!found) return undefined
        const { compiled } = found
        return {
          name: compiled.name, version: `${compiled.version} (v${found.version})`, topic: (intent) => compiled.topic(intent), redactPii: compiled.redactPii,
          guardrails: compiled.spec.guardrails,
          modelBudgetReached: async (subject) => (compiled.spec.modelBudget ? compiled.modelBudgetReached(await options.modelSpend(subject)) : undefined),
        }
      },
    }
  }

  async function byRef(name: string, ref: AgentRef): Promise<RunnableAgent | undefined> {
    const key = `${ref.scope}\u0000${name}\u0000${ref.version}`
    const hit = compiled.get(key)
    if (hit) return hit
    const row = await options.resources.version({ tenantId: ref.scope, kind: 'Agent', name }, ref.version)
    if (!row?.spec) return undefined
    if (compiled.size >= MAX_COMPILED) compiled.delete(compiled.keys().next().value!)
    const agent = compile(row)
    compiled.set(key, agent)
    return agent
  }

  return {
    async resolve(tenantId, name, ref) {
      if (ref) return byRef(name, ref)
      const key = `${tenantId}\u0000${name}`
      const known = inForce.get(key)
      if (known && Date.now() - known.at < refreshMs) return known.ref && byRef(name, known.ref)
      const row = await options.resources.resolve({ tenantId, kind: 'Agent', name })
      const current = row?.spec ? { scope: row.tenantId, version: row.version } : undefined
      inForce.set(key, { ref: current, at: Date.now() })
      return current && byRef(name, current)
    },
  }
}
