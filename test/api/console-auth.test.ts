// The console's sign-in and its walls: a password sign-in that sets an HttpOnly, SameSite cookie scoped to /console;
// every console route checks the role (each route of the app under /console/api is listed here, so a new route
// cannot skip the check unnoticed); the console cookie opens nothing on /v1; writes need the CSRF token.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import type { ConsoleRole } from '../../storage/index.ts'
import { consoleCall, consolePerson, consoleSession, type ConsoleSessionRef } from './console-harness.ts'
import { startApiHarness, type ApiHarness } from './harness.ts'

let h: ApiHarness
beforeAll(async () => (h = await startApiHarness({ CONSOLE_SLA_SWEEP_MS: '0' })))
afterAll(() => h.close())

const ALL: ConsoleRole[] = ['agent', 'qa_reviewer', 'supervisor', 'admin']
const HANDLERS: ConsoleRole[] = ['agent', 'supervisor', 'admin']
const REVIEWERS: ConsoleRole[] = ['qa_reviewer', 'supervisor', 'admin']
const MANAGERS: ConsoleRole[] = ['supervisor', 'admin']
const ADMINS: ConsoleRole[] = ['admin']

/** Every console API route and who may use it. */
const ROUTE_ROLES: Record<string, ConsoleRole[]> = {
  'POST /console/api/sign-out': ALL,
  'GET /console/api/session': ALL,
  'PUT /console/api/me/availability': HANDLERS,
  'GET /console/api/people': ADMINS,
  'POST /console/api/people': ADMINS,
  'PATCH /console/api/people/:id': ADMINS,
  'GET /console/api/inbox': HANDLERS,
  'POST /console/api/escalations/:id/take': HANDLERS,
  'POST /console/api/escalations/:id/resolve': HANDLERS,
  'POST /console/api/escalations/:id/transfer': HANDLERS,
  'POST /console/api/escalations/:id/rating': HANDLERS,
  'POST /console/api/conversations/:id/messages': HANDLERS,
  'POST /console/api/drafts/:id/send': HANDLERS,
  'POST /console/api/drafts/:id/discard': HANDLERS,
  'GET /console/api/conversations/:id': ALL,
  'GET /console/api/conversations/:id/events': ALL,
  'GET /console/api/conversations/:id/turns/:turnId/why': ALL,
  'POST /console/api/conversations/:id/notes': ALL,
  'GET /console/api/queues': ALL,
  'POST /console/api/queues': MANAGERS,
  'PUT /console/api/queues/:id': MANAGERS,
  'GET /console/api/agents': HANDLERS,
  'GET /console/api/canned-responses': HANDLERS,
  'POST /console/api/canned-responses': MANAGERS,
  'DELETE /console/api/canned-responses/:id': MANAGERS,
  'GET /console/api/qa/queue': REVIEWERS,
  'POST /console/api/qa/reviews/:id': REVIEWERS,
  'GET /console/api/approvals': HANDLERS,
  'POST /console/api/approvals/:id/approve': HANDLERS,
  'POST /console/api/approvals/:id/deny': HANDLERS,
  'GET /console/api/arena/runs': REVIEWERS,
  'GET /console/api/arena/runs/:id/report': REVIEWERS,
  'POST /console/api/arena/runs/:id/again': MANAGERS,
  'GET /console/api/arena/decisions': REVIEWERS,
  'GET /console/api/kpis': REVIEWERS,
}

const PARAMS: Record<string, string> = { ':id': 'x_1', ':turnId': 't1' }
const concrete = (path: string) => path.replace(/:[A-Za-z]+/g, (p) => PARAMS[p] ?? 'x')

describe('roles', () => {
  const consoleRoutes = () => h.platform.app!.routes
    .filter((r) => r.path.startsWith('/console/api/') && r.path !== '/console/api/sign-in')
    .map((r) => `${r.method} ${r.path}`)

  test('every console API route is listed with the roles that may use it', () => {
    expect(consoleRoutes().sort()).toEqual(Object.keys(ROUTE_ROLES).sort())
  })

  test('without a session every console API route answers 401', async () => {
    for (const route of consoleRoutes()) {
      const [method, path] = route.split(' ') as [string, string]
      const res = await consoleCall(h, null, method, concrete(path), { body: method === 'GET' ? undefined : {} })
      expect({ route, status: res.status, code: res.body.error?.code }).toEqual({ route, status: 401, code: 'auth.missing' })
    }
  })

  test('each route refuses the roles it is not for, and lets the others through', async () => {
    const sessions = new Map<ConsoleRole, ConsoleSessionRef>()
    for (const role of ALL) sessions.set(role, await consoleSession(h, h.a.id, role))
    for (const [route, allowed] of Object.entries(ROUTE_ROLES)) {
      const [method, path] = route.split(' ') as [string, string]
      for (const role of ALL) {
        // Signing out ends the session: that route gets a session of its own each time.
        const session = route.includes('sign-out') ? await consoleSession(h, h.a.id, role) : sessions.get(role)!
        const res = await consoleCall(h, session, method, concrete(path), { body: method === 'GET' ? undefined : {} })
        const refused = res.status === 403 || res.status === 401
        expect({ route, role, refused }).toEqual({ route, role, refused: !allowed.includes(role) })
        if (!allowed.includes(role)) expect(res.body.error.code).toBe('auth.forbidden')
      }
    }
  })
})

describe('sign-in', () => {
  test('a password sign-in sets an HttpOnly, SameSite=Strict cookie scoped to /console, and signing out ends the session', async () => {
    await consolePerson(h, h.a.id, 'agent', 'anna@example.com', 'a long enough password')
    const res = await consoleCall(h, null, 'POST', '/console/api/sign-in', { body: { tenant: h.a.id, email: 'Anna@example.com', password: 'a long enough password' } })
    expect(res.status).toBe(200)
    const cookie = res.headers.get('set-cookie')!
    expect(cookie).toMatch(/^sb_console=[\w-]{40,}; Path=\/console; HttpOnly; SameSite=Strict; Max-Age=\d+$/)
    const session = { email: 'anna@example.com', role: 'agent' as const, cookie: cookie.split(';')[0]!, csrf: res.body.csrfToken }
    expect((await consoleCall(h, session, 'GET', '/console/api/session')).body.user).toMatchObject({ email: 'anna@example.com', role: 'agent' })
    expect((await consoleCall(h, session, 'POST', '/console/api/sign-out')).status).toBe(200)
    expect((await consoleCall(h, session, 'GET', '/console/api/session')).status).toBe(401)
  })

  test('a wrong password and an unknown email are refused alike, and guessing is rate limited', async () => {
    await consolePerson(h, h.a.id, 'agent', 'bob@example.com', 'the right password!')
    const wrong = await consoleCall(h, null, 'POST', '/console/api/sign-in', { body: { tenant: h.a.id, email: 'bob@example.com', password: 'not it at all' } })
    const unknown = await consoleCall(h, null, 'POST', '/console/api/sign-in', { body: { tenant: h.a.id, email: 'nobody@example.com', password: 'not it at all' } })
    expect([wrong.status, wrong.body.error]).toEqual([unknown.status, unknown.body.error])
    expect(wrong.body.error).toEqual({ code: 'auth.invalid', message: 'unknown email or wrong password' })
    expect(wrong.headers.get('set-cookie')).toBeNull()
    const attempts = await Promise.all(Array.from({ length: 6 }, () =>
      consoleCall(h, null, 'POST', '/console/api/sign-in', { body: { tenant: h.a.id, email: 'bob@example.com', password: 'guess guess' } })))
    expect(attempts.map((a) => a.status)).toContain(429)
  })

  test("another tenant's account cannot sign in to this tenant", async () => {
    await consolePerson(h, h.b.id, 'admin', 'carol@example.com', 'carol password 1')
    const res = await consoleCall(h, null, 'POST', '/console/api/sign-in', { body: { tenant: h.a.id, email: 'carol@example.com', password: 'carol password 1' } })
    expect(res.status).toBe(401)
  })
})

describe('walls between the console and /v1', () => {
  test('a console session cookie is refused by /v1 routes', async () => {
    const s = await consoleSession(h, h.a.id, 'admin')
    for (const [method, path] of [['GET', '/v1/escalations'], ['GET', '/v1/conversations'], ['POST', '/v1/conversations'], ['GET', '/v1/webhooks']]) {
      const res = await h.call(method!, path!, { key: null, headers: { cookie: s.cookie, 'x-csrf-token': s.csrf }, body: method === 'POST' ? {} : undefined })
      expect({ path, status: res.status, code: res.body.error.code }).toEqual({ path, status: 401, code: 'auth.missing' })
    }
  })

  test('a tenant API key opens nothing in the console', async () => {
    const res = await consoleCall(h, null, 'GET', '/console/api/inbox', { headers: { authorization: `Bearer ${h.a.key}` } })
    expect(res.status).toBe(401)
  })

  test('a write without the CSRF token, with a wrong one, from another origin or as a form is refused and changes nothing', async () => {
    const s = await consoleSession(h, h.a.id, 'supervisor')
    const canned = { title: `greeting ${crypto.randomUUID()}`, text: 'Hello!' }
    const attempts = [
      await consoleCall(h, s, 'POST', '/console/api/canned-responses', { body: canned, csrf: null }),
      await consoleCall(h, s, 'POST', '/console/api/canned-responses', { body: canned, csrf: 'forged' }),
      await consoleCall(h, s, 'POST', '/console/api/canned-responses', { body: canned, headers: { origin: 'https://evil.example' } }),
    ]
    expect(attempts.map((a) => [a.status, a.body.error.code])).toEqual([[403, 'auth.csrf'], [403, 'auth.csrf'], [403, 'auth.csrf']])
    const form = await consoleCall(h, s, 'POST', '/console/api/canned-responses', {
      body: canned, headers: { 'content-type': 'application/x-www-form-urlencoded' },
    })
    expect(form.status).toBe(415)
    expect((await consoleCall(h, s, 'GET', '/console/api/canned-responses')).body.data.map((c: { title: string }) => c.title)).not.toContain(canned.title)
    const ok = await consoleCall(h, s, 'POST', '/console/api/canned-responses', { body: canned, headers: { origin: 'http://localhost' } })
    expect(ok.status).toBe(201)
  })

  test('a disabled account loses its sessions at once', async () => {
    const admin = await consoleSession(h, h.a.id, 'admin')
    const agent = await consoleSession(h, h.a.id, 'agent')
    const id = (await consoleCall(h, agent, 'GET', '/console/api/session')).body.user.id
    expect((await consoleCall(h, admin, 'PATCH', `/console/api/people/${id}`, { body: { disabled: true } })).body.disabled).toBe(true)
    expect((await consoleCall(h, agent, 'GET', '/console/api/session')).status).toBe(401)
  })
})
