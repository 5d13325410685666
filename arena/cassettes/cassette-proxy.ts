// A loopback proxy in front of a lane's model providers. Pass-through by default; with a cassette in record
// mode it forwards and keeps each response under its slot; in replay mode it answers from the cassette and
// never reaches the provider. Works for any vendor wire, streaming or not, since it keeps bodies as sent.
import { requestDigest, type Cassette } from './cassette.ts'

export type CassetteMode = { kind: 'pass' } | { kind: 'record' | 'replay'; cassette: Cassette; slot: string }

export interface CassetteProxy {
  /** The base URL a provider named `name` should use to go through the proxy to `upstream`. */
  route(name: string, upstream: string): string
  /** Sets what the next requests do (a lane plays one trial at a time). */
  use(mode: CassetteMode): void
  readonly stats: { upstreamCalls: number; replayed: number; warnings: string[] }
  close(): Promise<void>
}

export function startCassetteProxy(): CassetteProxy {
  const upstreams = new Map<string, string>()
  let mode: CassetteMode = { kind: 'pass' }
  let call = 0
  const stats = { upstreamCalls: 0, replayed: 0, warnings: [] as string[] }
  const server = Bun.serve({
    port: 0,
    hostname: '127.0.0.1',
    idleTimeout: 0,
    async fetch(request) {
      const url = new URL(request.url)
      const [, name, ...rest] = url.pathname.split('/')
      const upstream = upstreams.get(name ?? '')
      if (!upstream) return Response.json({ error: `no provider route ${name}` }, { status: 404 })
      const route = `${name}/${rest.join('/')}`
      const body = request.method === 'GET' ? '' : await request.text()
      const current = mode
      const slot = current.kind === 'pass' ? '' : `${current.slot}#${++call}`
      if (current.kind === 'replay') return replay(current.cassette, slot, route, body, stats)
      stats.upstreamCalls++
      const headers = new Headers(request.headers)
      headers.delete('host')
      headers.delete('content-length')
      const res = await fetch(`${upstream}/${rest.join('/')}${url.search}`, { method: request.method, headers, body: body || undefined })
      const text = await res.text()
      const contentType = res.headers.get('content-type') ?? 'application/json'
      if (current.kind === 'record') current.cassette.put(slot, { route, requestDigest: requestDigest(route, body), status: res.status, contentType, body: text })
      return new Response(text, { status: res.status, headers: passHeaders(res.headers) })
    },
  })
  return {
    route(name, upstream) {
      upstreams.set(name, upstream.replace(/\/$/, ''))
      return `http://127.0.0.1:${server.port}/${name}`
    },
    use(next) {
      mode = next
      call = 0
    },
    stats,
    close: async () => void (await server.stop(true)),
  }
}

function replay(cassette: Cassette, slot: string, route: string, body: string, stats: CassetteProxy['stats']): Response {
  const entry = cassette.get(slot)
  if (!entry) {
    stats.warnings.push(`${slot}: no recording; the conversation asked the model more than when it was recorded`)
    // A 400 is terminal for the provider adapters: the turn fails over to a person instead of retrying forever.
    return Response.json({ error: { message: `cassette ${cassette.path} has no recording for ${slot}`, type: 'invalid_request_error' } }, { status: 400 })
  }
  if (entry.route !== route || entry.requestDigest !== requestDigest(route, body)) {
    stats.warnings.push(`${slot}: the prompt no longer matches its recording (replayed anyway)`)
  }
  stats.replayed++
  return new Response(entry.body, { status: entry.status, headers: { 'content-type': entry.contentType } })
}

function passHeaders(headers: Headers): Headers {
  const out = new Headers()
  for (const name of ['content-type', 'retry-after', 'x-request-id']) {
    const v = headers.get(name)
    if (v) out.set(name, v)
  }
  return out
}
