// The console's people and their sign-in sessions. Passwords arrive here already hashed (Bun.password, in api/),
// and a session is found by the sha256 of its token, so neither a password nor a live token is ever stored.
import { createHash, randomBytes } from 'node:crypto'
import type { Sql } from './client.ts'

export const CONSOLE_ROLES = ['agent', 'qa_reviewer', 'supervisor', 'admin'] as const
export type ConsoleRole = (typeof CONSOLE_ROLES)[number]

export interface ConsoleUser {
  id: string
  tenantId: string
  email: string
  name: string
  role: ConsoleRole
  skills: string[]
  available: boolean
  createdAt: Date
  disabledAt: Date | null
}

export interface NewConsoleUser {
  tenantId: string
  email: string
  name: string
  role: ConsoleRole
  passwordHash: string
  skills?: string[]
}

export interface ConsoleSession {
  user: ConsoleUser
  csrfToken: string
  expiresAt: Date
}

export interface UserChanges {
  name?: string
  role?: ConsoleRole
  skills?: string[]
  available?: boolean
  disabled?: boolean
  passwordHash?: string
}

const columns = `u.id, u.tenant_id as "tenantId", u.email, u.name, u.role, u.skills, u.available, u.created_at as "createdAt",
  u.disabled_at as "disabledAt"`

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex')

export function createConsolePeople(sql: Sql) {
  return {
    /** Creates an account; undefined when the tenant already has one with this email. */
    async create(u: NewConsoleUser): Promise<ConsoleUser | undefined> {
      const id = `usr_${Bun.randomUUIDv7().replaceAll('-', '')}`
      const [row] = await sql<ConsoleUser[]>`insert into console_users as u (id, tenant_id, email, name, role, password_hash, skills)
        values (${id}, ${u.tenantId}, ${u.email.toLowerCase()}, ${u.name}, ${u.role}, ${u.passwordHash}, ${u.skills ?? []})
        on conflict do nothing returning ${sql.unsafe(columns)}`
      return row
    },
    /** The account and its password hash, for sign-in; disabled accounts are not found. */
    async credentials(tenantId: string, email: string): Promise<{ user: ConsoleUser; passwordHash: string } | undefined> {
      const [row] = await sql<(ConsoleUser & { passwordHash: string })[]>`select ${sql.unsafe(columns)}, u.password_hash as "passwordHash"
        from console_users u where u.tenant_id = ${tenantId} and lower(u.email) = ${email.toLowerCase()} and u.disabled_at is null`
      if (!row) return undefined
      const { passwordHash, ...user } = row
      return { user, passwordHash }
    },
    async list(tenantId: string): Promise<ConsoleUser[]> {
      return sql<ConsoleUser[]>`select ${sql.unsafe(columns)} from console_users u where u.tenant_id = ${tenantId} order by u.email`
    },
    async count(tenantId: string): Promise<number> {
      const [row] = await sql<{ n: number }[]>`select count(*)::int as n from console_users where tenant_id = ${tenantId}`
      return row?.n ?? 0
    },
    /** Applies the changes given; disabling an account also ends its sessions. */
    async update(tenantId: string, id: string, c: UserChanges): Promise<ConsoleUser | undefined> {
      const [row] = await sql<ConsoleUser[]>`update console_users u set
          name = coalesce(${c.name ?? null}, name), role = coalesce(${c.role ?? null}, role),
          skills = coalesce(${c.skills ?? null}::text[], skills), available = coalesce(${c.available ?? null}, available),
          password_hash = coalesce(${c.passwordHash ?? null}, password_hash),
          disabled_at = case when ${c.disabled ?? null}::boolean is null then disabled_at when ${c.disabled ?? false} then coalesce(disabled_at, now()) end
        where u.tenant_id = ${tenantId} and u.id = ${id} returning ${sql.unsafe(columns)}`
      if (row?.disabledAt) await sql`delete from console_sessions where user_id = ${id}`
      return row
    },
    /** Starts a session; the token goes to the browser's cookie once and is stored only as its hash. */
    async startSession(userId: string, ttlMs: number): Promise<{ token: string; csrfToken: string; expiresAt: Date }> {
      const token = randomBytes(32).toString('base64url')
      const csrfToken = randomBytes(32).toString('base64url')
      const expiresAt = new Date(Date.now() + ttlMs)
      await sql`insert into console_sessions (token_hash, user_id, csrf_token, expires_at)
        values (${hashToken(token)}, ${userId}, ${csrfToken}, ${expiresAt})`
      return { token, csrfToken, expiresAt }
    },
    /** The live session of a token, with its user as they are now (a changed role applies at once). */
    async session(token: string): Promise<ConsoleSession | undefined> {
      const [row] = await sql<(ConsoleUser & { csrfToken: string; expiresAt: Date })[]>`select ${sql.unsafe(columns)},
          s.csrf_token as "csrfToken", s.expires_at as "expiresAt"
        from console_sessions s join console_users u on u.id = s.user_id
        where s.token_hash = ${hashToken(token)} and s.expires_at > now() and u.disabled_at is null`
      if (!row) return undefined
      const { csrfToken, expiresAt, ...user } = row
      return { user, csrfToken, expiresAt }
    },
    async endSession(token: string): Promise<void> {
      await sql`delete from console_sessions where token_hash = ${hashToken(token)}`
    },
    /** Drops expired sessions; returns how many. */
    async purgeSessions(): Promise<number> {
      return (await sql`delete from console_sessions where expires_at <= now()`).count
    },
  }
}
export type ConsolePeople = ReturnType<typeof createConsolePeople>
