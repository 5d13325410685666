// Console sessions for API tests: people of each role created straight in storage, sessions started without the
// password round trip (sign-in itself is tested on its own), and calls that carry the cookie and the CSRF token.
import type { ConsoleRole } from '../../storage/index.ts'
import type { ApiHarness, Reply } from './harness.ts'

export interface ConsoleSessionRef {
  email: string
  role: ConsoleRole
  cookie: string
  csrf: string
}

export async function consolePerson(h: ApiHarness, tenantId: string, role: ConsoleRole, email = `${role}-${crypto.randomUUID().slice(0, 6)}@example.com`, password = 'correct horse battery staple') {
  const user = await h.platform.storage.consolePeople.create({
    tenantId, email, name: `${role} person`, role, passwordHash: await Bun.password.hash(password, { algorithm: 'argon2id', memoryCost: 1024, timeCost: 1 }),
  })
  if (!user) throw new Error(`could not create ${email}`)
  return user
}

export async function consoleSession(h: ApiHarness, tenantId: string, role: ConsoleRole): Promise<ConsoleSessionRef> {
  const user = await consolePerson(h, tenantId, role)
  const started = await h.platform.storage.consolePeople.startSession(user.id, 3_600_000)
  return { email: user.email, role, cookie: `sb_console=${started.token}`, csrf: started.csrfToken }
}

export interface ConsoleCallOptions {
  body?: unknown
  csrf?: string | null
  headers?: Record<string, string>
}

/** A console call as the page makes it: same origin, cookie, CSRF header on writes. */
export async function consoleCall(h: ApiHarness, s: ConsoleSessionRef | null, method: string, path: string, o: ConsoleCallOptions = {}): Promise<Reply> {
  const headers: Record<string, string> = { ...o.headers }
  if (s) headers.cookie = s.cookie
  if (s && method !== 'GET' && o.csrf !== null) headers['x-csrf-token'] = o.csrf ?? s.csrf
  const body = o.body === undefined ? undefined : JSON.stringify(o.body)
  if (body !== undefined) {
    headers['content-type'] ??= 'application/json'
    headers['content-length'] = String(Buffer.byteLength(body))
  }
  const res = await h.platform.app!.handle(new Request(`http://localhost${path}`, { method, headers, body }))
  const text = await res.text()
  let parsed: unknown = text
  try {
    parsed = JSON.parse(text)
  } catch {}
  return { status: res.status, body: parsed, headers: res.headers }
}
