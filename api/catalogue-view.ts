// What the API knows of a tenant's tool catalogue when a resource is applied: the built-in tools, its HTTP
// tools, and its MCP servers' tools by prefix (their list is only known to the workers that connect).
import { mcpToolName, type SpecOf } from '../resources/index.ts'
import type { CatalogueView } from '../policy/index.ts'
import type { ApplyDeps } from './resource-apply.ts'

type ToolInfo = ReturnType<CatalogueView['tool']>

export async function catalogueView(deps: ApplyDeps, tenantId: string): Promise<{ catalogue: CatalogueView; sources: Set<string> }> {
  const [tools, servers] = await Promise.all([deps.resources.list(tenantId, 'Tool'), deps.resources.list(tenantId, 'McpServer')])
  const known = new Map<string, NonNullable<ToolInfo>>(deps.builtinTools.map((t) => [t.name, { type: t.type, args: t.args }]))
  for (const t of tools) {
    const spec = t.spec as unknown as SpecOf['Tool']
    known.set(t.name, { type: spec.type, args: Object.keys((spec.parameters.properties ?? {}) as object) })
  }
  const mcp = servers.map((s) => ({ spec: s.spec as unknown as SpecOf['McpServer'], prefix: mcpToolName(s.name, s.spec as unknown as SpecOf['McpServer'], '') }))
  return {
    sources: new Set(['retail', ...servers.map((s) => s.name)]),
    catalogue: {
      tool(name) {
        const found = known.get(name)
        if (found) return found
        const server = mcp.find((m) => name.startsWith(m.prefix) && name.length > m.prefix.length)
        return server ? { type: server.spec.types?.[name.slice(server.prefix.length)] ?? 'GENERIC' } : undefined
      },
    },
  }
}
