// The quick start's console sign-in: the demo tenant gets an admin account on first start, with
// SWITCHBOARD_DEMO_CONSOLE_PASSWORD as its password when set, else a generated one returned once to print.
import { randomBytes } from 'node:crypto'
import type { Storage } from '../../storage/index.ts'
import { hashPassword } from './people-routes.ts'

export const DEMO_CONSOLE_EMAIL = 'admin@demo.example'

/** Creates the demo admin when the tenant has no console account yet; returns the password only when it was generated. */
export async function ensureDemoConsoleAdmin(
  storage: Pick<Storage, 'consolePeople'>, tenantId: string, password?: string,
): Promise<{ email: string; newPassword?: string }> {
  if ((await storage.consolePeople.count(tenantId)) > 0) return { email: DEMO_CONSOLE_EMAIL }
  const chosen = password ?? randomBytes(12).toString('base64url')
  await storage.consolePeople.create({
    tenantId, email: DEMO_CONSOLE_EMAIL, name: 'Demo admin', role: 'admin', passwordHash: await hashPassword(chosen), skills: [],
  })
  return { email: DEMO_CONSOLE_EMAIL, newPassword: password ? undefined : chosen }
}
