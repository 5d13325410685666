// The shapes every tool shares: its declaration (name, JSON Schema parameters, READ/WRITE/GENERIC type,
// kind), the context an in-process tool runs with, and the plain-JSON result a call resolves to.
import type { Static, TSchema } from '@sinclair/typebox'
import type { ErrorInfo } from '../lib/errors.ts'
import type { Sql } from '../storage/index.ts'

/** τ²-bench's tool types: READ never changes state, WRITE does (and runs exactly once), GENERIC neither reads nor writes our data. */
export type ToolType = 'READ' | 'WRITE' | 'GENERIC'

/** A Postgres transaction handle (postgres.js `TransactionSql`), derived so tools/ never imports postgres itself. */
export type Tx = Parameters<Parameters<Sql['begin']>[1]>[0]

/** What an in-process tool receives besides its arguments. */
export interface ToolContext {
  /** The call's transaction: READ runs in a read-only snapshot, WRITE in the transaction that records the call. */
  db: Tx
  /** Aborted when the per-tool timeout fires. */
  signal: AbortSignal
  /** The call's idempotency key (forwarded by HTTP and MCP tools so that the remote side can dedupe too). */
  idempotencyKey: string
}

interface ToolBase<P extends TSchema> {
  name: string
  description: string
  type: ToolType
  /** JSON Schema (TypeBox) of the arguments: validated before the call, and what a model is shown. */
  parameters: P
  /** @defaultValue 10_000 */
  timeoutMs?: number
  /** Serialized results above this many characters are truncated. @defaultValue 16_000 */
  maxResultChars?: number
  /** Internal tools (workflow steps, compensations) are executable but not offered to models. */
  internal?: boolean
}

/** A tool implemented by a function in this process. Throw `TerminalError('tool.failed', …)` for business refusals. */
export interface FunctionTool<P extends TSchema = TSchema> extends ToolBase<P> {
  kind: 'function'
  run(args: Static<P>, ctx: ToolContext): Promise<unknown>
}

/** Maps arguments onto an HTTP request and the response body onto the tool's output. */
export interface HttpTool<P extends TSchema = TSchema> extends ToolBase<P> {
  kind: 'http'
  url: string
  /** @defaultValue 'POST' */
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
  /** Sent on every request, e.g. `{ name: 'authorization', value: 'Bearer …' }`. */
  auth?: { header: string; value: string }
  /** More headers sent on every request (fixed values, or credentials filled in when the tool was loaded). */
  headers?: Record<string, string>
  /** Extra attempts after a 5xx, a 429 or a network error. @defaultValue 2 */
  retries?: number
  /** Builds the request from validated args. @defaultValue GET → query string, others → JSON body */
  request?(args: Static<P>): { path?: string; query?: Record<string, string>; body?: unknown }
  /** Picks the output from the parsed response body. @defaultValue the body itself */
  response?(body: unknown, status: number): unknown
}

/** A tool served by an MCP server; `call` is bound to the connected SDK client. */
export interface McpTool<P extends TSchema = TSchema> extends ToolBase<P> {
  kind: 'mcp'
  server: string
  call(args: Static<P>, ctx: { signal: AbortSignal; idempotencyKey: string; timeoutMs: number }): Promise<unknown>
}

export type ToolDefinition<P extends TSchema = TSchema> = FunctionTool<P> | HttpTool<P> | McpTool<P>

/** What a model is shown for a tool (provider adapters turn it into their vendor's tool format). */
export interface ToolSpec {
  name: string
  description: string
  type: ToolType
  parameters: TSchema
}

/** A call's outcome, structurally the tool pool's `PoolResults['tool.invoke']`. `replayed` marks a recorded result. */
export type ToolResult = { ok: true; output: unknown; replayed?: boolean } | { ok: false; error: ErrorInfo }

/** One tool call. `idempotencyKey` is the `tool.invoke` message id; a WRITE runs at most once per key. */
export interface ToolCall {
  tool: string
  args: unknown
  idempotencyKey: string
  /** Stored with the record of a WRITE (the `tool.invoke` envelope's `conversationId` and `payload.turnId`). */
  conversationId?: string
  turnId?: string
  /** Record (and replay) the result even for a READ or GENERIC tool: a resumed workflow then sees what its first run saw. */
  record?: boolean
}
