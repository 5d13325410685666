// The `tool_calls` record that makes a WRITE happen once per idempotency key. In-process WRITEs record
// their result in the same transaction as their effect; external WRITEs claim the key before calling out.
import { TerminalError, ensureAppError, toErrorInfo, type AppError } from '../lib/errors.ts'
import type { Sql } from '../storage/index.ts'
import type { ToolCall, ToolResult, Tx } from './types.ts'

interface CallRow {
  tool: string
  status: 'started' | 'done'
  result: ToolResult | null
}

/**
 * Runs an in-process WRITE at most once per key. The claim row is inserted first: a concurrent duplicate
 * blocks on it until the first transaction ends, then replays its committed result (or runs, if it rolled back).
 */
export async function runWriteOnce(
  sql: Sql,
  call: ToolCall,
  effect: (tx: Tx) => Promise<unknown>,
): Promise<ToolResult> {
  const started = performance.now()
  try {
    return await sql.begin(async (tx) => {
      const claimed = await claim(tx, call)
      if (!claimed) return replay(await readCall(tx, call.idempotencyKey), call)
      const result: ToolResult = { ok: true, output: await effect(tx) }
      await complete(tx, call.idempotencyKey, result, performance.now() - started)
      return result
    })
  } catch (e) {
    const err = classify(e)
    // A refusal (order not pending, bad reason) is an answer: record it so a redelivery answers the same.
    // Anything else (timeout, lost connection) rolled the effect back and may simply be retried.
    if (!(err instanceof TerminalError)) return { ok: false, error: toErrorInfo(err) }
    return recordOutcome(sql, call, { ok: false, error: toErrorInfo(err) }, performance.now() - started)
  }
}

/** For external WRITEs: a recorded result to replay, or `undefined` once this attempt holds the key. */
export async function claimExternal(sql: Sql, call: ToolCall): Promise<ToolResult | undefined> {
  const done = await sql.begin(async (tx) => {
    if (await claim(tx, call)) return undefined
    const row = await readCall(tx, call.idempotencyKey)
    // 'started' means an earlier attempt died mid-call with an unknown outcome: call again with the
    // same key and let the remote side dedupe (the key is forwarded as Idempotency-Key / MCP _meta).
    return row?.status === 'started' && row.tool === call.tool ? undefined : replay(row, call)
  })
  return done
}

/** Stores an external call's outcome, or any recorded refusal; replays the winner if someone else recorded first. */
export async function recordOutcome(sql: Sql, call: ToolCall, result: ToolResult, latencyMs: number): Promise<ToolResult> {
  return sql.begin(async (tx) => {
    const [row] = await tx<{ status: string }[]>`
      insert into tool_calls (idempotency_key, tool, args, conversation_id, turn_id, status)
      values (${call.idempotencyKey}, ${call.tool}, ${tx.json(jsonArgs(call))}, ${call.conversationId ?? null}, ${call.turnId ?? null}, 'started')
      on conflict (idempotency_key) do update set idempotency_key = excluded.idempotency_key
      returning status`
    if (row?.status === 'done') return replay(await readCall(tx, call.idempotencyKey), call)
    await complete(tx, call.idempotencyKey, result, latencyMs)
    return result
  })
}

/** Integrity violations (SQLSTATE class 23) mean the request conflicts with the data: retrying cannot help. */
function classify(e: unknown): AppError {
  const sqlState = (e as { code?: unknown } | null)?.code
  if (typeof sqlState === 'string' && sqlState.startsWith('23')) return new TerminalError('conflict', (e as Error).message, { cause: e })
  return ensureAppError(e)
}

async function claim(tx: Tx, call: ToolCall): Promise<boolean> {
  const rows = await tx`
    insert into tool_calls (idempotency_key, tool, args, conversation_id, turn_id, status)
    values (${call.idempotencyKey}, ${call.tool}, ${tx.json(jsonArgs(call))}, ${call.conversationId ?? null}, ${call.turnId ?? null}, 'started')
    on conflict (idempotency_key) do nothing returning 1`
  return rows.length === 1
}

async function complete(tx: Tx, key: string, result: ToolResult, latencyMs: number): Promise<void> {
  await tx`update tool_calls set status = 'done', ok = ${result.ok}, result = ${tx.json(result as never)},
    latency_ms = ${Math.round(latencyMs)}, completed_at = now() where idempotency_key = ${key}`
}

async function readCall(tx: Tx, key: string): Promise<CallRow | undefined> {
  const [row] = await tx<CallRow[]>`select tool, status, result from tool_calls where idempotency_key = ${key}`
  return row
}

function replay(row: CallRow | undefined, call: ToolCall): ToolResult {
  if (!row || row.tool !== call.tool) {
    const message = `idempotency key ${call.idempotencyKey} already belongs to a call of ${row?.tool ?? 'another tool'}`
    return { ok: false, error: { code: 'conflict', message, retryable: false } }
  }
  if (row.status !== 'done' || !row.result) {
    return { ok: false, error: { code: 'conflict', message: `call ${call.idempotencyKey} is still in flight`, retryable: true } }
  }
  return row.result.ok ? { ...row.result, replayed: true } : row.result
}

function jsonArgs(call: ToolCall): never {
  return (call.args ?? {}) as never
}
