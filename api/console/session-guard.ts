// The console's front door, apart from the /v1 keys: a server-side session found by an HttpOnly, SameSite=Strict
// cookie scoped to /console (so a browser never sends it to /v1, which ignores cookies anyway), a CSRF token every
// write must echo in a header, and a role check on every route (`roles` macro) that runs before the body is read.
import { timingSafeEqual, createHash } from 'node:crypto'
import { Elysia } from 'elysia'
import { AppError } from '../../lib/errors.ts'
import type { ConsolePeople, ConsoleRole, ConsoleSession, ConsoleUser } from '../../storage/index.ts'

export const CONSOLE_COOKIE = 'sb_console'
export const CSRF_HEADER = 'x-csrf-token'
export const CONSOLE_API = '/console/api/'
/** Routes that need no session: signing in, and reading whether one is signed in. */
const OPEN_ROUTES = new Set(['/console/api/sign-in'])
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

export interface ConsoleGuardDeps {
  people: Pick<ConsolePeople, 'session'>
  maxBodyBytes: number
}

const sessions = new WeakMap<Request, ConsoleSession>()

/** The session cookie's value, if the request carries one. */
export function sessionToken(request: Request): string | undefined {
  for (const part of (request.headers.get('cookie') ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=')
    if (name === CONSOLE_COOKIE && value.length > 0) return decodeURIComponent(value.join('='))
  }
  return undefined
}

const sameSecret = (a: string, b: string) => {
  const digest = (s: string) => createHash('sha256').update(s).digest()
  return timingSafeEqual(digest(a), digest(b))
}

/** A write must come from the console's own page: JSON (which a cross-site form cannot send) from this origin. */
export function assertSameOriginWrite(request: Request, maxBodyBytes: number): void {
  if (!UNSAFE.has(request.method)) return
  const origin = request.headers.get('origin')
  if (origin !== null && origin !== new URL(request.url).origin) throw new AppError('auth.csrf', 'cross-origin writes to the console are refused')
  const length = Number(request.headers.get('content-length') ?? 0)
  if (length > maxBodyBytes) throw new AppError('request.too_large', `the body exceeds ${maxBodyBytes} bytes`)
  const type = request.headers.get('content-type') ?? ''
  if ((length > 0 || request.body !== null) && !/^application\/json\b/i.test(type)) {
    throw new AppError('request.unsupported_media_type', 'the body must be application/json')
  }
}

async function authenticate(deps: ConsoleGuardDeps, request: Request): Promise<ConsoleSession> {
  const token = sessionToken(request)
  const session = token ? await deps.people.session(token) : undefined
  if (!session) throw new AppError('auth.missing', 'sign in to the console first')
  if (UNSAFE.has(request.method)) {
    const csrf = request.headers.get(CSRF_HEADER)
    if (!csrf || !sameSecret(csrf, session.csrfToken)) throw new AppError('auth.csrf', `send the session's CSRF token in ${CSRF_HEADER}`)
  }
  return session
}

/** The signed-in person of a request that passed the guard. */
export function personOf(request: Request): ConsoleSession {
  const session = sessions.get(request)
  if (!session) throw new AppError('auth.missing', 'sign in to the console first')
  return session
}

/** Installs the console's front door and the `roles` route macro. */
export function consoleGuard(deps: ConsoleGuardDeps) {
  return new Elysia({ name: 'console-guard' })
    // Global, like the /v1 guard: who is calling is settled before routing, validation or body parsing.
    .onRequest(async ({ request }) => {
      const path = new URL(request.url).pathname
      if (!path.startsWith(CONSOLE_API)) return
      assertSameOriginWrite(request, deps.maxBodyBytes)
      if (!OPEN_ROUTES.has(path)) sessions.set(request, await authenticate(deps, request))
    })
    .macro({
      /** The route is for people holding one of these roles. */
      roles: (allowed: ConsoleRole[]) => ({
        // transform runs before validation: a person without the role learns nothing about the body the route wants.
        transform: ({ request }: { request: Request }) => {
          const { user } = personOf(request)
          if (!allowed.includes(user.role)) throw new AppError('auth.forbidden', `this needs the ${allowed.join(' or ')} role`)
        },
        resolve: ({ request }: { request: Request }): { person: ConsoleUser; session: ConsoleSession } => {
          const session = personOf(request)
          return { person: session.user, session }
        },
      }),
    })
}
