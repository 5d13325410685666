// The loopback vendor API emulator: one Bun.serve that answers OpenAI, Anthropic (direct, Bedrock, Vertex),
// Gemini (Developer API, Vertex) and Bedrock Converse requests from a script book, plus a small /_emulator control API for standalone runs.

import { respond } from './respond.ts'
import { ScriptBook } from './script-book.ts'
import type { EmulatedRequest, EmulatorOptions, Script } from './types.ts'
import { anthropicWire } from './wire/anthropic.ts'
import { anthropicBedrockWire, anthropicVertexWire } from './wire/anthropic-platforms.ts'
import { bedrockWire } from './wire/bedrock.ts'
import { geminiVertexWire, geminiWire } from './wire/gemini.ts'
import { openaiWire } from './wire/openai.ts'
import type { VendorWire } from './wire/wire.ts'

export interface VendorEmulator {
  /** Base URL, e.g. `http://127.0.0.1:41234`; see `vendorBaseUrls` for each SDK's expected base. */
  readonly url: string
  readonly port: number
  /** Queue replies or faults; matched scripts are tried first, then FIFO order, then the fallback. */
  script(...scripts: Script[]): void
  /** Every request received since the last reset, in arrival order. */
  readonly requests: readonly EmulatedRequest[]
  /** Scripts not yet consumed. */
  pending(): number
  reset(): void
  close(): Promise<void>
}

// First match wins: the Vertex Gemini route also ends in `models/{m}:generateContent`, so it goes first.
const WIRES: VendorWire[] = [openaiWire, anthropicWire, anthropicBedrockWire, anthropicVertexWire, geminiVertexWire, geminiWire, bedrockWire]
const SECRET_HEADERS = new Set(['authorization', 'x-api-key', 'x-goog-api-key', 'api-key', 'x-amz-security-token'])

export function createVendorEmulator(options: EmulatorOptions = {}): VendorEmulator {
  const book = new ScriptBook(options.fallback)
  const closing = Promise.withResolvers<void>()
  const server = Bun.serve({
    port: options.port ?? 0,
    hostname: options.hostname ?? '127.0.0.1',
    // Hangs and slow streams are the point here; Bun's 10 s idle timeout would end them early.
    idleTimeout: 0,
    fetch: (request) => handle(request, book, options, closing.promise),
  })
  return {
    url: `http://${server.hostname}:${server.port}`,
    port: server.port ?? 0,
    script: (...scripts) => book.add(scripts),
    requests: book.requests,
    pending: () => book.pending(),
    reset: () => book.reset(),
    close: async () => {
      closing.resolve()
      await server.stop(true)
    },
  }
}

async function handle(request: Request, book: ScriptBook, options: EmulatorOptions, closing: Promise<void>): Promise<Response> {
  const url = new URL(request.url)
  if (url.pathname.startsWith('/_emulator/')) return control(request, url, book)
  const wire = WIRES.find((w) => w.handles(url))
  if (!wire || request.method !== 'POST') return Response.json({ error: `no emulated API at ${request.method} ${url.pathname}` }, { status: 404 })
  let body: unknown
  try {
    body = await request.json()
  } catch {
    return badRequest(wire, 'request body is not valid JSON')
  }
  const invalid = wire.validate?.(body, url)
  if (invalid) return badRequest(wire, invalid)
  const req: EmulatedRequest = { vendor: wire.vendor, path: url.pathname, headers: recordedHeaders(request.headers), body, ...wire.parse(body, url) }
  const script = book.take(req)
  const released = Promise.race([closing, aborted(request.signal)])
  const latencyMs = script.latencyMs ?? options.latencyMs ?? 0
  const perTokenMs = script.perTokenMs ?? options.perTokenMs ?? 0
  return respond({ wire, req, script, latencyMs, perTokenMs, released })
}

function badRequest(wire: VendorWire, message: string): Response {
  const { body, headers } = wire.error(400, message)
  return new Response(body, { status: 400, headers: { 'content-type': 'application/json', ...headers } })
}

function aborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve()
    signal.addEventListener('abort', () => resolve(), { once: true })
  })
}

// Recorded requests are served back over /_emulator/requests, so credentials never get stored.
function recordedHeaders(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {}
  headers.forEach((value, key) => {
    out[key] = SECRET_HEADERS.has(key) ? '[redacted]' : value
  })
  return out
}

async function control(request: Request, url: URL, book: ScriptBook): Promise<Response> {
  const route = `${request.method} ${url.pathname}`
  if (route === 'GET /_emulator/health') return Response.json({ ok: true, pending: book.pending() })
  if (route === 'GET /_emulator/requests') return Response.json(book.requests)
  if (route === 'DELETE /_emulator/scripts') {
    book.reset()
    return new Response(null, { status: 204 })
  }
  if (route === 'POST /_emulator/scripts') {
    const body: unknown = await request.json().catch(() => undefined)
    if (typeof body !== 'object' || body === null) return Response.json({ error: 'expected a script or an array of scripts' }, { status: 400 })
    book.add((Array.isArray(body) ? body : [body]) as Script[])
    return Response.json({ pending: book.pending() }, { status: 201 })
  }
  return Response.json({ error: `unknown control route ${route}` }, { status: 404 })
}

/** Where each SDK should point to reach this emulator. */
export function vendorBaseUrls(url: string) {
  return {
    openai: `${url}/v1`,
    azureOpenai: url,
    anthropic: url,
    /** AnthropicBedrock `baseURL` (it appends `/model/{id}/invoke…`). */
    anthropicBedrock: url,
    /** AnthropicVertex `baseURL`, which carries the API version (`/v1`) as Vertex's own default does. */
    anthropicVertex: `${url}/v1`,
    gemini: url,
    /** `@google/genai` with `vertexai: true`: its `httpOptions.baseUrl` (it appends `/{apiVersion}/projects/…`). */
    geminiVertex: url,
    bedrock: url,
  } as const
}
