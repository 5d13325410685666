// The AgentPolicy documents as this worker enforces them: a version compiled once and cached (a version never
// changes), the version in force looked up again every few seconds.
import { compileAgentPolicy, type AgentPolicySpec, type CompiledAgentPolicy } from '../policy/index.ts'
import type { Resources, StoredResource } from '../storage/index.ts'

export interface PolicyInForce {
  compiled: CompiledAgentPolicy
  scope: string
  version: number
}

const MAX_COMPILED = 500

export function createPolicyCache(resources: Pick<Resources, 'resolve' | 'version'>, refreshMs: number) {
  const compiled = new Map<string, CompiledAgentPolicy>()
  const inForce = new Map<string, { value: PolicyInForce | undefined; at: number }>()
  const compile = (row: StoredResource, name: string): PolicyInForce => {
    const id = `${row.tenantId}\u0000${name}\u0000${row.version}`
    let policy = compiled.get(id)
    if (!policy) {
      if (compiled.size >= MAX_COMPILED) compiled.delete(compiled.keys().next().value!)
      policy = compileAgentPolicy(name, row.spec as unknown as AgentPolicySpec)
      compiled.set(id, policy)
    }
    return { compiled: policy, scope: row.tenantId, version: row.version }
  }
  return {
    /** Exactly the version a turn began with. */
    async version(name: string, ref: { scope: string; version: number }): Promise<PolicyInForce | undefined> {
      const id = `${ref.scope}\u0000${name}\u0000${ref.version}`
      const hit = compiled.get(id)
      if (hit) return { compiled: hit, scope: ref.scope, version: ref.version }
      const row = await resources.version({ tenantId: ref.scope, kind: 'AgentPolicy', name }, ref.version)
      return row?.spec ? compile(row, name) : undefined
    },
    /** The tenant's policy of that name in force, or undefined when there is none. */
    async resolve(tenantId: string, name: string): Promise<PolicyInForce | undefined> {
      const key = `${tenantId}\u0000${name}`
      const known = inForce.get(key)
      if (known && Date.now() - known.at < refreshMs) return known.value
      const row = await resources.resolve({ tenantId, kind: 'AgentPolicy', name })
      const value = row?.spec ? compile(row, name) : undefined
      inForce.set(key, { value, at: Date.now() })
      return value
    },
  }
}
export type PolicyCache = ReturnType<typeof createPolicyCache>
