// Each tenant's tool catalogue in this worker: the built-in tools plus its HTTP tools and MCP servers, loaded
// from the versioned resources and checked again every few seconds, so a change reaches every worker without a
// restart. A source that fails to load, or a tool that keeps timing out, is withdrawn with its reason for a
// while; the other tools and tenants carry on.
import { toErrorInfo } from '../lib/errors.ts'
import type { Logger } from '../lib/log.ts'
import type { CatalogueStatus, Resources, Sql, StoredResource } from '../storage/index.ts'
import { createToolExecutor, createToolRegistry, type ToolDefinition, type ToolExecutor, type ToolRegistry } from '../tools/index.ts'
import { loadHttpTool, loadMcpServer, type LoadedSource, type SourceDeps } from './tool-sources.ts'

export interface Withdrawal {
  name: string
  reason: string
}

/** One tenant's tools as loaded now. */
export interface TenantTools {
  registry: ToolRegistry
  executor: ToolExecutor
  /** Names of each source's tools (`retail`, an HTTP tool's name, an MCP server's name). */
  sources: ReadonlyMap<string, readonly string[]>
  /** Tools (or whole sources, by source name) withdrawn right now, with why. */
  withdrawn(): Withdrawal[]
  /** Withdraws a tool that keeps failing, for the cool-down. */
  withdraw(tool: string, reason: string): void
}

export interface ToolCatalogueOptions extends SourceDeps {
  resources: Pick<Resources, 'list'>
  status: Pick<CatalogueStatus, 'report'>
  sql: Sql
  builtin: readonly ToolDefinition[]
  worker: string
  log: Logger
  /** How often a tenant's declared sources are compared with the store. @defaultValue 2000 */
  refreshMs?: number
  /** How long a failed source or a failing tool stays withdrawn before it is tried again. @defaultValue 30000 */
  cooldownMs?: number
}

interface Entry {
  tools: TenantTools
  checkedAt: number
  fingerprint: string
  loaded: Map<string, LoadedSource>
  failed: Map<string, { reason: string; until: number; version: number }>
  cooling: Map<string, { reason: string; until: number }>
}

const fingerprintOf = (rows: StoredResource[]) => rows.map((r) => `${r.kind}/${r.tenantId}/${r.name}@${r.version}`).sort().join(',')

export function createToolCatalogue(options: ToolCatalogueOptions) {
  const refreshMs = options.refreshMs ?? 2000
  const cooldownMs = options.cooldownMs ?? 30_000
  const tenants = new Map<string, Entry>()
  const pending = new Map<string, Promise<Entry>>()

  async function declared(tenantId: string): Promise<StoredResource[]> {
    const [tools, servers] = await Promise.all([options.resources.list(tenantId, 'Tool'), options.resources.list(tenantId, 'McpServer')])
    return [...tools, ...servers]
  }

  async function load(tenantId: string, r: StoredResource, entry: Entry): Promise<void> {
    const kind = r.kind === 'Tool' ? 'http' : 'mcp'
    try {
      const source = await (kind === 'http' ? loadHttpTool(options, r) : loadMcpServer(options, r))
      entry.loaded.set(r.name, source)
      entry.failed.delete(r.name)
      await report(tenantId, { source: r.name, kind, state: 'ok', tools: source.tools.map((t) => t.name), version: r.version })
    } catch (e) {
      const reason = `${kind === 'http' ? 'HTTP tool' : 'MCP server'} ${r.name}: ${toErrorInfo(e).message}`
      entry.failed.set(r.name, { reason, until: Date.now() + cooldownMs, version: r.version })
      options.log.warn('tool source withdrawn', { tenantId, source: r.name, reason })
      await report(tenantId, { source: r.name, kind, state: 'withdrawn', tools: [], reason, version: r.version })
    }
  }

  const report = (tenantId: string, s: Omit<Parameters<CatalogueStatus['report']>[1], 'worker' | 'at'>) =>
    options.status.report(tenantId, { ...s, worker: options.worker, at: new Date().toISOString() })
      .catch((e: Error) => options.log.warn('catalogue status not reported', { tenantId, error: e }))

  /** Loads what changed (or failed and cooled down), closes what went away, and builds the registry anew. */
  async function refresh(tenantId: string, previous: Entry | undefined): Promise<Entry> {
    const rows = await declared(tenantId)
    const fingerprint = fingerprintOf(rows)
    const now = Date.now()
    const retry = previous && [...previous.failed.values()].some((f) => f.until <= now)
    if (previous && previous.fingerprint === fingerprint && !retry) return { ...previous, checkedAt: now }
    const entry: Entry = previous
      ? { ...previous, fingerprint, checkedAt: now }
      : { tools: undefined as never, fingerprint, checkedAt: now, loaded: new Map(), failed: new Map(), cooling: new Map() }
    const wanted = new Map(rows.map((r) => [r.name, r]))
    for (const [name, source] of entry.loaded) {
      const r = wanted.get(name)
      if (r && r.version === source.version && r.tenantId === source.scope) continue
      entry.loaded.delete(name)
      await source.close().catch(() => {})
    }
    for (const r of rows) {
      const failed = entry.failed.get(r.name)
      if (entry.loaded.has(r.name) || (failed && failed.version === r.version && failed.until > now)) continue
      await load(tenantId, r, entry)
    }
    for (const name of entry.failed.keys()) if (!wanted.has(name)) entry.failed.delete(name)
    entry.tools = build(entry)
    if (!previous) await report(tenantId, { source: 'retail', kind: 'builtin', state: 'ok', tools: [...entry.tools.sources.get('retail')!] })
    return entry
  }

  function build(entry: Entry): TenantTools {
    const registry = createToolRegistry([...options.builtin])
    const sources = new Map<string, string[]>([['retail', options.builtin.filter((t) => !t.internal).map((t) => t.name)]])
    for (const source of entry.loaded.values()) {
      const fresh = source.tools.filter((t) => !registry.get(t.name))
      registry.register(...fresh)
      sources.set(source.name, fresh.map((t) => t.name))
    }
    return {
      registry,
      executor: createToolExecutor({ registry, sql: options.sql }),
      sources,
      withdrawn: () => {
        const now = Date.now()
        const tools = [...entry.cooling].filter(([, c]) => c.until > now).map(([name, c]) => ({ name, reason: c.reason }))
        return [...tools, ...[...entry.failed].map(([name, f]) => ({ name, reason: f.reason }))]
      },
      withdraw: (tool, reason) => void entry.cooling.set(tool, { reason, until: Date.now() + cooldownMs }),
    }
  }

  return {
    /** The tenant's tools, refreshed from the store when the last check is older than `refreshMs` (or `fresh`). */
    async forTenant(tenantId: string, options: { fresh?: boolean } = {}): Promise<TenantTools> {
      const entry = tenants.get(tenantId)
      if (entry && !options.fresh && Date.now() - entry.checkedAt < refreshMs) return entry.tools
      let loading = pending.get(tenantId)
      if (!loading) {
        loading = refresh(tenantId, entry).finally(() => pending.delete(tenantId))
        pending.set(tenantId, loading)
      }
      const fresh = await loading
      tenants.set(tenantId, fresh)
      return fresh.tools
    },
    async close(): Promise<void> {
      const sources = [...tenants.values()].flatMap((e) => [...e.loaded.values()])
      tenants.clear()
      await Promise.allSettled(sources.map((s) => s.close()))
    },
  }
}
export type ToolCatalogue = ReturnType<typeof createToolCatalogue>
