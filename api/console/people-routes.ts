// Signing in and out of the console, the signed-in person's own state, and the tenant's people (admins only).
// Passwords are hashed with Bun.password (argon2id); a failed sign-in says the same whether the email exists or not,
// and takes as long.
import { Elysia, t } from 'elysia'
import { AppError, RetryableError } from '../../lib/errors.ts'
import { CONSOLE_ROLES, type ConsoleUser, type Storage } from '../../storage/index.ts'
import { CONSOLE_COOKIE, consoleGuard, sessionToken, type ConsoleGuardDeps } from './session-guard.ts'
import { ADMINS, ANYONE, HANDLERS } from './roles.ts'

export interface PeopleRouteDeps extends ConsoleGuardDeps {
  storage: Pick<Storage, 'consolePeople' | 'rateLimiter'>
  sessionTtlMs: number
}

const MIN_PASSWORD_CHARS = 12
// Attempts per second for one account: with argon2id behind it, enough for a person, too few for guessing.
const SIGN_IN_ATTEMPTS_PER_S = 2

const Role = t.Union(CONSOLE_ROLES.map((r) => t.Literal(r)))
const Email = t.String({ pattern: '^[^\\s@]+@[^\\s@]+$', maxLength: 320 })
const Password = t.String({ minLength: MIN_PASSWORD_CHARS, maxLength: 200 })
const Skills = t.Array(t.String({ pattern: '^[a-z0-9_-]{1,40}$' }), { maxItems: 20 })
const UserParams = t.Object({ id: t.String({ pattern: '^usr_[A-Za-z0-9]{1,64}$' }) })

export const userView = (u: ConsoleUser) => ({
  id: u.id, tenantId: u.tenantId, email: u.email, name: u.name, role: u.role, skills: u.skills, available: u.available,
  disabled: u.disabledAt !== null, createdAt: u.createdAt.toISOString(),
})

export const hashPassword = (password: string) => Bun.password.hash(password, { algorithm: 'argon2id' })

// Verified against when the email is unknown, so a miss costs what a wrong password costs.
let decoyHash: Promise<string> | undefined
const decoy = () => (decoyHash ??= hashPassword(crypto.randomUUID()))

function sessionCookie(request: Request, token: string, maxAgeS: number): string {
  const secure = new URL(request.url).protocol === 'https:' || request.headers.get('x-forwarded-proto') === 'https'
  return `${CONSOLE_COOKIE}=${token}; Path=/console; HttpOnly; SameSite=Strict; Max-Age=${maxAgeS}${secure ? '; Secure' : ''}`
}

async function signIn(deps: PeopleRouteDeps, body: { tenant: string; email: string; password: string }) {
  const limit = await deps.storage.rateLimiter.hit(`console-sign-in:${body.tenant}:${body.email.toLowerCase()}`, SIGN_IN_ATTEMPTS_PER_S)
  if (!limit.allowed) throw new RetryableError('rate_limited', 'too many sign-in attempts, wait a moment', limit.retryAfterMs)
  const found = await deps.storage.consolePeople.credentials(body.tenant, body.email)
  const valid = await Bun.password.verify(body.password, found?.passwordHash ?? (await decoy()))
  if (!found || !valid) throw new AppError('auth.invalid', 'unknown email or wrong password')
  await deps.storage.consolePeople.purgeSessions()
  return { user: found.user, ...(await deps.storage.consolePeople.startSession(found.user.id, deps.sessionTtlMs)) }
}

export function peopleRoutes(deps: PeopleRouteDeps) {
  const people = deps.storage.consolePeople
  return new Elysia({ name: 'console-people' })
    .use(consoleGuard(deps))
    .post('/console/api/sign-in', async ({ body, request, set }) => {
      const started = await signIn(deps, body)
      set.headers['set-cookie'] = sessionCookie(request, started.token, Math.floor(deps.sessionTtlMs / 1000))
      return { user: userView(started.user), csrfToken: started.csrfToken }
    }, {
      body: t.Object({ tenant: t.String({ minLength: 1, maxLength: 64 }), email: Email, password: t.String({ minLength: 1, maxLength: 200 }) },
        { additionalProperties: false }),
      detail: { summary: 'Sign in to the console (sets the session cookie)', tags: ['console'] },
    })
    .post('/console/api/sign-out', async ({ request, set }) => {
      await people.endSession(sessionToken(request)!)
      set.headers['set-cookie'] = sessionCookie(request, '', 0)
      return { signedOut: true }
    }, { roles: ANYONE, detail: { summary: 'Sign out', tags: ['console'] } })
    .get('/console/api/session', ({ person, session }) => ({ user: userView(person), csrfToken: session.csrfToken }),
      { roles: ANYONE, detail: { summary: 'The signed-in person and their CSRF token', tags: ['console'] } })
    .put('/console/api/me/availability', async ({ person, body }) =>
      userView((await people.update(person.tenantId, person.id, { available: body.available }))!), {
      roles: HANDLERS, body: t.Object({ available: t.Boolean() }, { additionalProperties: false }),
      detail: { summary: 'Be available for round-robin assignment, or not', tags: ['console'] },
    })
    .get('/console/api/people', async ({ person }) => ({ data: (await people.list(person.tenantId)).map(userView) }),
      { roles: ADMINS, detail: { summary: "The tenant's console accounts", tags: ['console'] } })
    .post('/console/api/people', async ({ person, body, set }) => {
      const created = await people.create({ ...body, tenantId: person.tenantId, passwordHash: await hashPassword(body.password) })
      if (!created) throw new AppError('conflict', `${body.email} already has an account`)
      set.status = 201
      return userView(created)
    }, {
      roles: ADMINS,
      body: t.Object({ email: Email, name: t.String({ minLength: 1, maxLength: 200 }), role: Role, password: Password, skills: t.Optional(Skills) },
        { additionalProperties: false }),
      detail: { summary: 'Create a console account', tags: ['console'] },
    })
    .patch('/console/api/people/:id', async ({ person, params: { id }, body }) => {
      const { password, ...changes } = body
      const updated = await people.update(person.tenantId, id, { ...changes, ...(password ? { passwordHash: await hashPassword(password) } : {}) })
      if (!updated) throw new AppError('not_found', `account ${id} not found`)
      return userView(updated)
    }, {
      roles: ADMINS, params: UserParams,
      body: t.Object({
        name: t.Optional(t.String({ minLength: 1, maxLength: 200 })), role: t.Optional(Role), skills: t.Optional(Skills),
        disabled: t.Optional(t.Boolean()), password: t.Optional(Password),
      }, { additionalProperties: false }),
      detail: { summary: "Change an account's role, skills or password, or disable it", tags: ['console'] },
    })
}
