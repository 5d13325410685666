// The McpServer resource: a Model Context Protocol server whose tools join the tenant's catalogue, over
// streamable HTTP or (operator-applied documents only) a stdio command. Pure.
import { Type, type Static } from '@sinclair/typebox'
import { closed, HeaderAuth, HttpUrl, SecretRef, Tenant, ToolType } from './fields.ts'

export const McpServerSpec = Type.Object({
  tenant: Tenant,
  transport: Type.Object({
    http: Type.Optional(Type.Object({
      url: HttpUrl,
      headers: Type.Optional(Type.Record(Type.String({ pattern: '^[A-Za-z0-9-]{1,64}$' }), Type.String({ maxLength: 1000 }))),
      auth: Type.Optional(HeaderAuth),
    }, closed)),
    stdio: Type.Optional(Type.Object({
      command: Type.String({ minLength: 1, maxLength: 500 }),
      args: Type.Array(Type.String({ maxLength: 2000 }), { default: [], maxItems: 50 }),
      /** Environment of the server process, each value from a secret. */
      env: Type.Optional(Type.Record(Type.String({ pattern: '^[A-Z_][A-Z0-9_]*$' }), SecretRef)),
      cwd: Type.Optional(Type.String({ minLength: 1 })),
    }, closed)),
  }, closed),
  /** Prepended to the server's tool names in the catalogue. @defaultValue '<server name>_' */
  prefix: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_-]{0,32}$' })),
  /** Only these of the server's tools (names as the server lists them); absent takes all. */
  tools: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { maxItems: 200 })),
  /** Overrides the READ/WRITE/GENERIC type a tool's annotations imply. */
  types: Type.Optional(Type.Record(Type.String({ minLength: 1, maxLength: 64 }), ToolType)),
  /** Per-call deadline of this server's tools. @defaultValue 10000 */
  timeoutMs: Type.Integer({ minimum: 100, maximum: 120_000, default: 10_000 }),
}, closed)
export type McpServerSpec = Static<typeof McpServerSpec>

export function mcpServerProblems(spec: McpServerSpec): string[] {
  const { http, stdio } = spec.transport
  return !http === !stdio ? ['/spec/transport: set exactly one of http or stdio'] : []
}

/** The catalogue name of one of the server's tools. */
export const mcpToolName = (server: string, spec: Pick<McpServerSpec, 'prefix'>, tool: string): string =>
  `${spec.prefix ?? `${server.replaceAll('.', '_')}_`}${tool}`
