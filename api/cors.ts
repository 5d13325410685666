// Cross-origin access for browsers: a chat widget on a tenant's own site calls this API from another origin.
// Keys are bearer tokens, never cookies, so answering any origin (the default) lets a page do nothing it could
// not do with the key anyway; API_CORS_ORIGINS narrows the origins for tenants who want that.
import { Elysia } from 'elysia'

const ALLOWED_HEADERS = 'authorization, content-type, idempotency-key, last-event-id, traceparent, tracestate'
// What a widget reads besides the body: when to retry, and whether a keyed post was a replay.
const EXPOSED_HEADERS = 'retry-after, idempotent-replayed'

/** `origins`: exact origins (`https://shop.example`), or `*` for any. */
export function crossOrigin(origins: string[]) {
  const anyOrigin = origins.includes('*')
  const allowed = new Set(origins)
  return new Elysia({ name: 'cors' })
    // Global and first: a preflight carries no key, so it is answered before the guard asks for one.
    .onRequest(({ request, set }) => {
      const origin = request.headers.get('origin')
      if (!origin || !(anyOrigin || allowed.has(origin))) return
      set.headers['access-control-allow-origin'] = anyOrigin ? '*' : origin
      if (!anyOrigin) set.headers.vary = 'Origin'
      set.headers['access-control-expose-headers'] = EXPOSED_HEADERS
      if (request.method !== 'OPTIONS' || !request.headers.has('access-control-request-method')) return
      return new Response(null, {
        status: 204,
        headers: {
          ...(set.headers as Record<string, string>),
          'access-control-allow-methods': 'GET, POST, PUT, DELETE, OPTIONS',
          'access-control-allow-headers': ALLOWED_HEADERS,
          'access-control-max-age': '600',
        },
      })
    })
}
