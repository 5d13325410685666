// What the workers last found when they loaded each tenant's tool sources: the tools a source offers, or why
// it is withdrawn. Runtime state for the API's catalogue view, so it lives in Redis with a day's TTL.
import type Redis from 'ioredis'

export interface ToolSourceStatus {
  /** `retail`, an HTTP tool's name, or an MCP server's name. */
  source: string
  kind: 'builtin' | 'http' | 'mcp'
  state: 'ok' | 'withdrawn'
  tools: string[]
  /** Why the source is withdrawn (connection refused, tool listing failed, timed out…). */
  reason?: string
  /** The resource version loaded, for HTTP tools and MCP servers. */
  version?: number
  worker: string
  at: string
}

const TTL_S = 86_400

export function createCatalogueStatus(redis: Redis, prefix: string) {
  const key = (tenantId: string) => `${prefix}:catalogue:${tenantId}`
  return {
    async report(tenantId: string, status: ToolSourceStatus): Promise<void> {
      await redis.multi().hset(key(tenantId), status.source, JSON.stringify(status)).expire(key(tenantId), TTL_S).exec()
    },
    async read(tenantId: string): Promise<ToolSourceStatus[]> {
      const all = await redis.hgetall(key(tenantId))
      return Object.values(all).map((v) => JSON.parse(v) as ToolSourceStatus).sort((a, b) => a.source.localeCompare(b.source))
    },
  }
}
export type CatalogueStatus = ReturnType<typeof createCatalogueStatus>
