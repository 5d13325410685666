// A loopback stand-in for the Kubernetes API server, enough for the controller: it serves a recorded list and
// watch stream per plural (JSON lines, the wire format of `?watch=true`), records every request (status
// patches included), and keeps one namespace's Leases with resourceVersion checks (409 on a stale write).
import type { Server } from 'bun'

/** One plural's recording: the list response, then the watch events that follow it. */
export interface RecordedPlural {
  list: { apiVersion: string; kind: string; metadata: { resourceVersion: string }; items: unknown[] }
  events: Array<{ type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR'; object: unknown }>
}

export interface RecordedRequest {
  method: string
  path: string
  query: Record<string, string>
  contentType: string | null
  body: any
}

export interface KubeApiServer {
  url: string
  requests: RecordedRequest[]
  lease(name: string): any
  close(): void
}

const json = (body: unknown, status = 200) => Response.json(body, { status })
const notFound = (what: string) => json({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', message: `${what} not found`, code: 404 }, 404)
const conflict = (what: string) => json({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'Conflict', message: `${what}: the object has been modified`, code: 409 }, 409)

export function startKubeApiServer(recording: Record<string, RecordedPlural>): KubeApiServer {
  const requests: RecordedRequest[] = []
  const leases = new Map<string, any>()
  const open = new Set<ReadableStreamDefaultController<Uint8Array>>()
  const replayed = new Set<string>()
  let version = 1000
  const encoder = new TextEncoder()

  /** The first watch of a plural replays its events; every watch then stays open, as a quiet one does. */
  function watch(plural: string): Response {
    const events = replayed.has(plural) ? [] : (recording[plural]?.events ?? [])
    replayed.add(plural)
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        open.add(c)
        // The API server answers a watch at once; a blank line (which watch readers skip) sends the headers now.
        c.enqueue(encoder.encode('\n'))
        for (const event of events) c.enqueue(encoder.encode(`${JSON.stringify(event)}\n`))
      },
      cancel() {},
    })
    return new Response(body, { headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' } })
  }

  function lease(method: string, name: string | undefined, body: any): Response {
    if (method === 'POST') {
      const key = body.metadata.name
      if (leases.has(key)) return json({ kind: 'Status', code: 409, reason: 'AlreadyExists' }, 409)
      const created = { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', ...body, metadata: { ...body.metadata, resourceVersion: String(++version) } }
      leases.set(key, created)
      return json(created, 201)
    }
    const current = leases.get(name!)
    if (!current) return notFound(`leases "${name}"`)
    if (method === 'GET') return json(current)
    if (body.metadata.resourceVersion !== current.metadata.resourceVersion) return conflict(`leases "${name}"`)
    const replaced = { ...current, spec: body.spec, metadata: { ...current.metadata, resourceVersion: String(++version) } }
    leases.set(name!, replaced)
    return json(replaced)
  }

  const server: Server<undefined> = Bun.serve({
    port: 0,
    hostname: '127.0.0.1',
    idleTimeout: 0,
    async fetch(req) {
      const url = new URL(req.url)
      const text = req.method === 'GET' ? '' : await req.text()
      const body = text ? JSON.parse(text) : undefined
      requests.push({ method: req.method, path: url.pathname, query: Object.fromEntries(url.searchParams), contentType: req.headers.get('content-type'), body })
      const leaseMatch = url.pathname.match(/^\/apis\/coordination\.k8s\.io\/v1\/namespaces\/[^/]+\/leases(?:\/([^/]+))?$/)
      if (leaseMatch) return lease(req.method, leaseMatch[1], body)
      const custom = url.pathname.match(/^\/apis\/switchboard\.dev\/v1alpha1\/namespaces\/[^/]+\/([^/]+)(?:\/([^/]+)(\/status)?)?$/)
      if (!custom) return notFound(url.pathname)
      const [, plural, name, status] = custom
      if (req.method === 'GET' && !name) {
        if (url.searchParams.get('watch') === 'true') return watch(plural!)
        return json(recording[plural!]?.list ?? { apiVersion: 'switchboard.dev/v1alpha1', kind: 'List', metadata: { resourceVersion: '1' }, items: [] })
      }
      if (req.method === 'PATCH' && status) return json({ apiVersion: 'switchboard.dev/v1alpha1', metadata: { name }, ...body })
      return notFound(url.pathname)
    },
  })

  return {
    url: `http://127.0.0.1:${server.port}`,
    requests,
    lease: (name) => leases.get(name),
    close() {
      for (const c of open) {
        try {
          c.close()
        } catch {}
      }
      server.stop(true)
    },
  }
}
