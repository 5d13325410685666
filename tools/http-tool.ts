// HTTP tools: map validated arguments onto a request (auth header, idempotency key for WRITEs), retry
// 5xx/429/network failures with backoff, and map the response body onto the tool's output.
import { RetryableError, TerminalError } from '../lib/errors.ts'
import { tracedFetch, type OutboundInit } from '../lib/spans.ts'
import type { HttpTool } from './types.ts'

const BACKOFF_BASE_MS = 100
// A Retry-After longer than this is not waited for inside one call: the error carries it to the caller.
const MAX_INLINE_WAIT_MS = 2_000

interface HttpCallContext {
  signal: AbortSignal
  idempotencyKey: string
}

export async function callHttpTool(tool: HttpTool, args: Record<string, unknown>, ctx: HttpCallContext): Promise<unknown> {
  const req = buildRequest(tool, args, ctx)
  const retries = tool.retries ?? 2
  for (let attempt = 0; ; attempt++) {
    const outcome = await attemptOnce(req, ctx.signal)
    if (outcome instanceof Response) return readResponse(tool, outcome)
    if (attempt >= retries || ctx.signal.aborted || (outcome.retryAfterMs ?? 0) > MAX_INLINE_WAIT_MS) throw outcome
    await Bun.sleep(outcome.retryAfterMs ?? BACKOFF_BASE_MS * 2 ** attempt)
  }
}

interface HttpRequest {
  url: string
  init: OutboundInit
}

function buildRequest(tool: HttpTool, args: Record<string, unknown>, ctx: HttpCallContext): HttpRequest {
  const method = tool.method ?? 'POST'
  const mapped = tool.request ? tool.request(args as never) : method === 'GET' ? { query: stringify(args) } : { body: args }
  const url = new URL(tool.url + (mapped.path ?? ''))
  for (const [k, v] of Object.entries(mapped.query ?? {})) url.searchParams.set(k, v)
  const headers: Record<string, string> = { accept: 'application/json', ...tool.headers }
  if (tool.auth) headers[tool.auth.header] = tool.auth.value
  // The remote side dedupes on this key, which makes retrying a WRITE after a 5xx safe.
  if (tool.type === 'WRITE') headers['idempotency-key'] = ctx.idempotencyKey
  if (mapped.body !== undefined) headers['content-type'] = 'application/json'
  const body = mapped.body === undefined ? undefined : JSON.stringify(mapped.body)
  return { url: url.toString(), init: { method, headers, body, signal: ctx.signal } }
}

/** A Response worth reading (2xx or a terminal 4xx), or the retryable error of this attempt. */
async function attemptOnce(req: HttpRequest, signal: AbortSignal): Promise<Response | RetryableError> {
  try {
    const res = await tracedFetch(req.url, req.init)
    if (res.status < 500 && res.status !== 429) return res
    await res.body?.cancel()
    return new RetryableError('tool.failed', `HTTP ${res.status} from ${new URL(req.url).host}`, retryAfter(res))
  } catch (e) {
    if (signal.aborted) return new RetryableError('tool.timeout', 'HTTP tool aborted')
    return new RetryableError('tool.failed', `HTTP request failed: ${(e as Error).message}`)
  }
}

async function readResponse(tool: HttpTool, res: Response): Promise<unknown> {
  const text = await res.text()
  let body: unknown = text
  if (res.headers.get('content-type')?.includes('json') && text.length > 0) body = JSON.parse(text)
  if (!res.ok) throw new TerminalError('tool.failed', `HTTP ${res.status}: ${text.slice(0, 300)}`)
  return tool.response ? tool.response(body, res.status) : body
}

function retryAfter(res: Response): number | undefined {
  const header = res.headers.get('retry-after')
  if (!header) return undefined
  const seconds = Number(header)
  if (Number.isFinite(seconds)) return seconds * 1000
  const at = Date.parse(header)
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now())
}

function stringify(args: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(args).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]))
}
