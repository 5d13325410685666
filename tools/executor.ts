// Runs one tool call: look up, validate, apply the per-tool timeout and result cap, and route WRITEs
// through the idempotency record. It never throws: every failure becomes a structured tool error.
import { TerminalError, toErrorInfo } from '../lib/errors.ts'
import type { Sql } from '../storage/index.ts'
import { callHttpTool } from './http-tool.ts'
import { claimExternal, recordOutcome, runWriteOnce } from './idempotency.ts'
import { DEFAULT_MAX_RESULT_CHARS, DEFAULT_TIMEOUT_MS, capResult, scopedTx, withTimeout } from './limits.ts'
import type { ToolRegistry } from './registry.ts'
import type { FunctionTool, ToolCall, ToolDefinition, ToolResult, Tx } from './types.ts'

export interface ToolExecutorOptions {
  registry: ToolRegistry
  /** The tenant's pool; the retail tables and `tool_calls` live in its schema. */
  sql: Sql
  /** Used when a tool declares no `timeoutMs`. @defaultValue 10_000 */
  defaultTimeoutMs?: number
  /** Used when a tool declares no `maxResultChars`. @defaultValue 16_000 */
  defaultMaxResultChars?: number
}

export interface ToolExecutor {
  /** Runs a call; a WRITE runs at most once per `idempotencyKey` and a repeat returns the recorded result. */
  executeTool(call: ToolCall): Promise<ToolResult>
}

// One snapshot for the whole call, so a tool that reads twice sees one consistent state.
const READ_TX = 'isolation level repeatable read read only'

export function createToolExecutor(options: ToolExecutorOptions): ToolExecutor {
  const { registry, sql } = options
  const limitsOf = (d: ToolDefinition) => ({
    timeoutMs: d.timeoutMs ?? options.defaultTimeoutMs ?? DEFAULT_TIMEOUT_MS,
    maxChars: d.maxResultChars ?? options.defaultMaxResultChars ?? DEFAULT_MAX_RESULT_CHARS,
  })

  async function execute(call: ToolCall): Promise<ToolResult> {
    const tool = registry.get(call.tool)
    if (!tool) return refuse('tool.unknown', `unknown tool: ${call.tool}`)
    const problem = tool.validator.check(call.args)
    if (problem) return refuse('tool.invalid_args', `invalid arguments for ${call.tool}: ${problem}`)
    const d = tool.definition
    const { timeoutMs, maxChars } = limitsOf(d)
    const run = async (tx: Tx | undefined) => {
      const scope = tx && scopedTx(tx)
      try {
        return await withTimeout(timeoutMs, `tool ${d.name}`, async (signal) => capResult(await invoke(d, call, scope?.db, signal, timeoutMs), maxChars))
      } finally {
        scope?.revoke()
      }
    }
    const once = d.type === 'WRITE' || call.record === true
    if (d.kind === 'function') {
      if (once) return runWriteOnce(sql, call, run)
      return { ok: true, output: await sql.begin(READ_TX, run) }
    }
    if (!once) return { ok: true, output: await run(undefined) }
    return runExternalWrite(sql, call, () => run(undefined))
  }

  return {
    async executeTool(call) {
      try {
        return await execute(call)
      } catch (e) {
        return { ok: false, error: toErrorInfo(e) }
      }
    },
  }
}

async function invoke(d: ToolDefinition, call: ToolCall, tx: Tx | undefined, signal: AbortSignal, timeoutMs: number) {
  const ctx = { signal, idempotencyKey: call.idempotencyKey }
  switch (d.kind) {
    case 'function':
      return (d as FunctionTool).run(call.args as never, { ...ctx, db: tx! })
    case 'http':
      return callHttpTool(d, call.args as never, ctx)
    case 'mcp':
      return d.call(call.args as never, { ...ctx, timeoutMs })
  }
}

/**
 * An external WRITE cannot share our transaction, so it claims the key first, calls out with the key
 * as the remote's idempotency key, then records the outcome. Retryable failures leave the claim open.
 */
async function runExternalWrite(sql: Sql, call: ToolCall, run: () => Promise<unknown>): Promise<ToolResult> {
  const recorded = await claimExternal(sql, call)
  if (recorded) return recorded
  const started = performance.now()
  try {
    return await recordOutcome(sql, call, { ok: true, output: await run() }, performance.now() - started)
  } catch (e) {
    const error = toErrorInfo(e)
    if (error.retryable) return { ok: false, error }
    return recordOutcome(sql, call, { ok: false, error }, performance.now() - started)
  }
}

function refuse(code: 'tool.unknown' | 'tool.invalid_args', message: string): ToolResult {
  return { ok: false, error: toErrorInfo(new TerminalError(code, message)) }
}
