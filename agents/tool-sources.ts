// The tenant's declared tool sources made runnable: an HTTP Tool resource becomes an HTTP tool with its
// credential filled from a secret; an McpServer resource becomes a connected MCP client whose tools are
// listed and validated. What cannot load is reported with its reason, never thrown at a turn.
import { AppError } from '../lib/errors.ts'
import { mcpToolName, type SpecOf } from '../resources/index.ts'
import type { Secrets, StoredResource } from '../storage/index.ts'
import { connectMcpServer, defineHttpTool, fromJsonSchema, type McpServerOptions, type ToolDefinition } from '../tools/index.ts'
import { checkAddress } from './network-guard.ts'

type Auth = SpecOf['Tool']['http']['auth']
type SecretRef = NonNullable<Auth>['secretRef']

export interface LoadedSource {
  name: string
  kind: 'http' | 'mcp'
  version: number
  scope: string
  tools: ToolDefinition[]
  close(): Promise<void>
}

export interface SourceDeps {
  secrets: Pick<Secrets, 'reveal'>
  /** The worker's environment, for operator-applied documents' `env` references. */
  env: Readonly<Record<string, string | undefined>>
  /** Tenant-declared endpoints may reach private networks (tests, on-premises tools). @defaultValue false */
  allowPrivateNetworks: boolean
  /** How long an MCP server gets to connect and list its tools. */
  connectTimeoutMs: number
}

async function secretValue(deps: SourceDeps, scope: string, ref: SecretRef): Promise<string> {
  const value = ref.env ? deps.env[ref.env] : await deps.secrets.reveal(scope, ref.secret!)
  if (!value) throw new AppError('secret.unavailable', `secret ${ref.env ? `env ${ref.env}` : ref.secret} is not set`)
  return value
}

async function authHeader(deps: SourceDeps, scope: string, auth: Auth): Promise<Record<string, string>> {
  if (!auth) return {}
  const secret = await secretValue(deps, scope, auth.secretRef)
  return { [auth.header]: auth.scheme ? `${auth.scheme} ${secret}` : secret }
}

/** Tenant endpoints must not reach the platform's own network unless the deployment allows it. */
async function guardUrl(deps: SourceDeps, scope: string, url: string): Promise<void> {
  if (scope === '*' || deps.allowPrivateNetworks) return
  const problem = await checkAddress(new URL(url).hostname)
  if (problem) throw new AppError('config.invalid', `${url}: ${problem} (set HTTP_TOOLS_ALLOW_PRIVATE_NETWORKS to allow it)`)
}

export async function loadHttpTool(deps: SourceDeps, r: StoredResource): Promise<LoadedSource> {
  const spec = r.spec as unknown as SpecOf['Tool']
  await guardUrl(deps, r.tenantId, spec.http.url)
  const headers = { ...spec.http.headers, ...(await authHeader(deps, r.tenantId, spec.http.auth)) }
  const tool = defineHttpTool({
    name: r.name, description: spec.description, type: spec.type, parameters: fromJsonSchema(spec.parameters),
    url: spec.http.url, method: spec.http.method as 'POST', timeoutMs: spec.http.timeoutMs, retries: spec.http.retries,
    headers,
  })
  return { name: r.name, kind: 'http', version: r.version, scope: r.tenantId, tools: [tool], close: async () => {} }
}

export async function loadMcpServer(deps: SourceDeps, r: StoredResource): Promise<LoadedSource> {
  const spec = r.spec as unknown as SpecOf['McpServer']
  const options: McpServerOptions = {
    name: r.name, prefix: mcpToolName(r.name, spec, ''), types: spec.types, timeoutMs: spec.timeoutMs,
    transport: await transportOf(deps, r.tenantId, spec),
  }
  const connecting = connectMcpServer(options)
  const source = await withDeadline(connecting, deps.connectTimeoutMs, `MCP server ${r.name} did not answer`).catch((e: unknown) => {
    // A server that answers after the deadline must not keep a connection (or a child process) nobody uses.
    void connecting.then((late) => late.close(), () => {})
    throw e
  })
  const allowed = spec.tools ? new Set(spec.tools.map((t) => mcpToolName(r.name, spec, t))) : undefined
  const tools = allowed ? source.tools.filter((t) => allowed.has(t.name)) : source.tools
  return { name: r.name, kind: 'mcp', version: r.version, scope: r.tenantId, tools, close: () => source.close() }
}

async function transportOf(deps: SourceDeps, scope: string, spec: SpecOf['McpServer']): Promise<McpServerOptions['transport']> {
  const { http, stdio } = spec.transport
  if (http) {
    await guardUrl(deps, scope, http.url)
    return { kind: 'http', url: http.url, headers: { ...http.headers, ...(await authHeader(deps, scope, http.auth)) } }
  }
  const env: Record<string, string> = { PATH: deps.env.PATH ?? '' }
  for (const [key, ref] of Object.entries(stdio!.env ?? {})) env[key] = await secretValue(deps, scope, ref)
  return { kind: 'stdio', command: stdio!.command, args: stdio!.args, env, ...(stdio!.cwd ? { cwd: stdio!.cwd } : {}) }
}

async function withDeadline<T>(work: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new AppError('tool.timeout', `${message} within ${ms} ms`)), ms)
  })
  try {
    return await Promise.race([work, late])
  } finally {
    clearTimeout(timer)
  }
}
