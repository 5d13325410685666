// The front door of every request, before routing and body parsing: body size and media type, then who is
// calling, then the tenant's rate limit, then the JSON body itself (api/input.ts). Routes then state the scope
// they need with the `scope` macro.
import { Elysia } from 'elysia'
import { AppError, RetryableError } from '../lib/errors.ts'
import type { RateLimiter, Scope } from '../storage/index.ts'
import { assertJsonBody, tooLarge } from './input.ts'
import { hasScope, isOperatorToken, type KeyResolver, type OperatorPrincipal, type Principal, type TenantPrincipal } from './auth.ts'
import { CUSTOMER_TOKEN_PREFIX, type CustomerTokens } from './customer-tokens.ts'

export interface GuardDeps {
  keys: KeyResolver
  rateLimiter: Pick<RateLimiter, 'hit'>
  adminToken?: string
  maxBodyBytes: number
  customerTokens: CustomerTokens
  /** Requests one conversation's customer token may make per second. */
  customerRatePerS: number
}

/** What a route accepts: tenant key scopes, and `customer` for a token scoped to the route's conversation. */
export type RouteScope = Scope | 'customer'

const principals = new WeakMap<Request, Principal>()
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])
// Browsers cannot set headers on EventSource or WebSocket, so those two routes also take the key as a query.
const STREAM_PATH = /^\/v1\/conversations\/[^/]+\/(events|stream)$/

/** True when the request carries a JSON body to check. */
function checkBody(request: Request, maxBodyBytes: number): boolean {
  if (!BODY_METHODS.has(request.method)) return false
  const length = Number(request.headers.get('content-length') ?? 0)
  if (length > maxBodyBytes) throw tooLarge(maxBodyBytes)
  const hasBody = length > 0 || request.body !== null
  const type = request.headers.get('content-type') ?? ''
  if (hasBody && !/^application\/json\b/i.test(type)) {
    throw new AppError('request.unsupported_media_type', 'the body must be application/json')
  }
  return hasBody
}

function credential(request: Request, url: URL): string | undefined {
  const header = request.headers.get('authorization')
  if (header) {
    const match = /^Bearer\s+(\S+)$/i.exec(header)
    if (!match) throw new AppError('auth.invalid', 'the Authorization header must be "Bearer <key>"')
    return match[1]
  }
  // A URL is logged and shared: only a short-lived customer token may ride in one, never a tenant key.
  const fromQuery = STREAM_PATH.test(url.pathname) ? url.searchParams.get('access_token') ?? undefined : undefined
  if (fromQuery && !fromQuery.startsWith(CUSTOMER_TOKEN_PREFIX)) throw new AppError('auth.invalid', 'a stream URL takes a customer token, never an API key')
  return fromQuery
}

async function authenticate(deps: GuardDeps, request: Request, url: URL): Promise<Principal> {
  const key = credential(request, url)
  if (!key) throw new AppError('auth.missing', 'send an API key as "Authorization: Bearer <key>"')
  if (url.pathname.startsWith('/v1/admin/')) {
    if (!deps.adminToken) throw new AppError('auth.forbidden', 'the admin API is disabled (set SWITCHBOARD_ADMIN_TOKEN)')
    if (!isOperatorToken(key, deps.adminToken)) throw new AppError('auth.invalid', 'invalid admin token')
    return { kind: 'operator' }
  }
  if (key.startsWith(CUSTOMER_TOKEN_PREFIX)) {
    const claims = await deps.customerTokens.verify(key)
    if (!claims) throw new AppError('auth.invalid', 'the customer token is invalid or expired')
    const decision = await deps.rateLimiter.hit(`${claims.tenantId}:${claims.conversationId}`, deps.customerRatePerS)
    if (!decision.allowed) throw new RetryableError('rate_limited', 'too many requests for this conversation', decision.retryAfterMs)
    return { kind: 'customer', tenantId: claims.tenantId, conversationId: claims.conversationId, rateLimitPerS: deps.customerRatePerS }
  }
  const principal = await deps.keys.resolve(key)
  if (!principal) throw new AppError('auth.invalid', 'unknown or revoked API key')
  const decision = await deps.rateLimiter.hit(principal.tenantId, principal.rateLimitPerS)
  if (!decision.allowed) throw new RetryableError('rate_limited', 'too many requests for this tenant', decision.retryAfterMs)
  return principal
}

/** A customer token opens only the routes that accept customers, and only for its own conversation. */
function customerAccess(principal: Extract<Principal, { kind: 'customer' }>, anyOf: RouteScope[], conversationId: string | undefined): TenantPrincipal {
  if (!anyOf.includes('customer')) throw new AppError('auth.forbidden', 'this route needs a tenant API key')
  // Another conversation answers as an unknown one would.
  if (conversationId !== principal.conversationId) throw new AppError('not_found', `conversation ${conversationId} not found`)
  return { kind: 'tenant', tenantId: principal.tenantId, keyId: `customer:${principal.conversationId}`, scopes: ['channel'], rateLimitPerS: principal.rateLimitPerS }
}

/** Installs the front door and the `scope` / `operator` route macros. */
export function requestGuard(deps: GuardDeps) {
  return new Elysia({ name: 'guard' })
    // onRequest hooks are global in Elysia: this runs for every route of the app, before parsing.
    .onRequest(async ({ request }) => {
      const url = new URL(request.url)
      if (!url.pathname.startsWith('/v1/')) return
      const hasBody = checkBody(request, deps.maxBodyBytes)
      principals.set(request, await authenticate(deps, request, url))
      if (hasBody) await assertJsonBody(request, deps.maxBodyBytes)
    })
    .macro({
      /** The route needs a tenant key holding one of these scopes. */
      scope: (anyOf: RouteScope[]) => ({
        resolve: ({ request, params }: { request: Request; params?: Record<string, string> }): { tenant: TenantPrincipal } => {
          const principal = principals.get(request)
          if (principal?.kind === 'customer') return { tenant: customerAccess(principal, anyOf, params?.id) }
          if (principal?.kind !== 'tenant') throw new AppError('auth.forbidden', 'this route needs a tenant API key')
          const scopes = anyOf.filter((s): s is Scope => s !== 'customer')
          if (!hasScope(principal, scopes)) throw new AppError('auth.forbidden', `this route needs the ${scopes.join(' or ')} scope`)
          return { tenant: principal }
        },
      }),
      /** The route needs the operator's admin token. */
      operator: (on: boolean) => ({
        resolve: ({ request }: { request: Request }): { operator: OperatorPrincipal } => {
          const principal = principals.get(request)
          if (on && principal?.kind !== 'operator') throw new AppError('auth.forbidden', 'this route needs the admin token')
          return { operator: { kind: 'operator' } }
        },
      }),
    })
}
