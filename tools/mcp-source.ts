// MCP servers as tool sources, over stdio or streamable HTTP, through the official SDK client: the
// server's tools become registry entries whose calls go back through the same connection.
// The SDK is required by the first connection, each transport by its first use: a process with no MCP server set up
// keeps none of it in its heap (lib/on-first-call.ts).
import type { Client } from '@modelcontextprotocol/sdk/client/index.js'
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js'
import type { Tool } from '@modelcontextprotocol/sdk/types.js'
import { RetryableError, TerminalError } from '../lib/errors.ts'
import type { ToolSource } from './registry.ts'
import type { McpTool, ToolType } from './types.ts'
import { fromJsonSchema } from './validate.ts'

export type McpTransportOptions =
  | { kind: 'stdio'; command: string; args?: string[]; env?: Record<string, string>; cwd?: string }
  | { kind: 'http'; url: string; headers?: Record<string, string> }

export interface McpServerOptions {
  /** Names the server in tool definitions and errors. */
  name: string
  transport: McpTransportOptions
  /** Prepended to each tool name, to keep two servers' tools apart. @defaultValue '' */
  prefix?: string
  /** Overrides the type inferred from annotations (readOnlyHint → READ, destructiveHint → WRITE, else GENERIC). */
  types?: Record<string, ToolType>
  /** Per-tool timeout for this server's tools. */
  timeoutMs?: number
}

/** Connects, lists the server's tools (all pages) and returns them as a source the registry closes. */
export async function connectMcpServer(options: McpServerOptions): Promise<ToolSource> {
  const { Client } = require('@modelcontextprotocol/sdk/client/index.js') as typeof import('@modelcontextprotocol/sdk/client/index.js')
  const client = new Client({ name: 'switchboard', version: '0.1.0' })
  await client.connect(createTransport(options.transport))
  const listed: Tool[] = []
  let cursor: string | undefined
  do {
    const page = await client.listTools(cursor ? { cursor } : {})
    listed.push(...page.tools)
    cursor = page.nextCursor
  } while (cursor)
  return { tools: listed.map((t) => toDefinition(client, options, t)), close: () => client.close() }
}

function createTransport(t: McpTransportOptions): Transport {
  if (t.kind === 'stdio') {
    const { StdioClientTransport } = require('@modelcontextprotocol/sdk/client/stdio.js') as typeof import('@modelcontextprotocol/sdk/client/stdio.js')
    return new StdioClientTransport({ command: t.command, args: t.args ?? [], env: t.env, cwd: t.cwd, stderr: 'ignore' })
  }
  const { StreamableHTTPClientTransport } = require('@modelcontextprotocol/sdk/client/streamableHttp.js') as
    typeof import('@modelcontextprotocol/sdk/client/streamableHttp.js')
  return new StreamableHTTPClientTransport(new URL(t.url), { requestInit: { headers: t.headers ?? {} } })
}

function toDefinition(client: Client, options: McpServerOptions, tool: Tool): McpTool {
  const hints = tool.annotations
  const inferred: ToolType = hints?.readOnlyHint ? 'READ' : hints?.destructiveHint ? 'WRITE' : 'GENERIC'
  return {
    kind: 'mcp',
    server: options.name,
    name: `${options.prefix ?? ''}${tool.name}`,
    description: tool.description ?? '',
    type: options.types?.[tool.name] ?? inferred,
    parameters: fromJsonSchema(tool.inputSchema as Record<string, unknown>),
    timeoutMs: options.timeoutMs,
    async call(args, ctx) {
      // The idempotency key rides in _meta so that a server which dedupes WRITEs can.
      const params = { name: tool.name, arguments: args as Record<string, unknown>, _meta: { idempotencyKey: ctx.idempotencyKey } }
      const res = await client.callTool(params, undefined, { signal: ctx.signal, timeout: ctx.timeoutMs }).catch((e) => {
        throw translate(e, options.name)
      })
      if (res.isError) throw new TerminalError('tool.failed', `${options.name}/${tool.name}: ${textOf(res.content)}`)
      return res.structuredContent ?? contentOutput(res.content)
    },
  }
}

function contentOutput(content: unknown): unknown {
  const parts = Array.isArray(content) ? content : []
  if (parts.every((p) => p?.type === 'text')) return parts.map((p) => p.text as string).join('\n')
  return parts
}

function textOf(content: unknown): string {
  const parts = Array.isArray(content) ? content : []
  return parts.filter((p) => p?.type === 'text').map((p) => p.text as string).join(' ').slice(0, 500) || 'tool reported an error'
}

function translate(e: unknown, server: string): Error {
  const { ErrorCode, McpError } = require('@modelcontextprotocol/sdk/types.js') as typeof import('@modelcontextprotocol/sdk/types.js')
  if (e instanceof McpError) {
    if (e.code === ErrorCode.RequestTimeout) return new RetryableError('tool.timeout', `${server}: ${e.message}`, undefined, { cause: e })
    if (e.code === ErrorCode.ConnectionClosed) return new RetryableError('tool.failed', `${server}: ${e.message}`, undefined, { cause: e })
    return new TerminalError('tool.failed', `${server}: ${e.message}`, { cause: e })
  }
  return new RetryableError('tool.failed', `${server}: ${(e as Error).message ?? String(e)}`, undefined, { cause: e })
}
