// What the console's browser tests share: an API harness listening on loopback with Chromium beside it, sign-in
// through the page's own form, and the axe-core check (no serious or critical violation).
import { afterAll, beforeAll, expect } from 'bun:test'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { startApiHarness, type ApiHarness } from '../api/harness.ts'
import { launchChromium, type Browser } from './browser.ts'

const AXE = readFileSync(join(import.meta.dir, '..', '..', 'node_modules', 'axe-core', 'axe.min.js'), 'utf8')

export interface ConsoleUnderTest {
  h: ApiHarness
  browser: Browser
  /** The API's origin, where /console is served. */
  base: string
}

/** Starts the harness (with `env` overrides) and Chromium before the file's tests, and stops both after them. */
export function consoleUnderTest(env: Record<string, string> = {}): ConsoleUnderTest {
  const under = {} as ConsoleUnderTest
  beforeAll(async () => {
    under.h = await startApiHarness(env)
    under.h.platform.app!.listen({ hostname: '127.0.0.1', port: 0 })
    under.base = `http://127.0.0.1:${under.h.platform.app!.server!.port}`
    under.browser = await launchChromium()
  }, 60_000)
  afterAll(async () => {
    await under.browser?.close()
    await under.h?.close()
  }, 30_000)
  return under
}

export async function signIn(page: Page, tenantId: string, email: string, password: string): Promise<void> {
  await page.getByLabel('Tenant').fill(tenantId)
  await page.getByLabel('Email').fill(email)
  await page.getByLabel('Password').fill(password)
  await page.getByRole('button', { name: 'Sign in' }).click()
}

/** No serious or critical accessibility violation on the page as it stands (labels, contrast, roles, names). */
export async function expectAccessible(page: Page): Promise<void> {
  await page.evaluate(AXE)
  const violations = await page.evaluate(async () => {
    const result = await (window as any).axe.run(document, { resultTypes: ['violations'] })
    return result.violations.filter((v: any) => v.impact === 'serious' || v.impact === 'critical')
      .map((v: any) => `${v.id}: ${v.nodes.map((n: any) => n.target.join(' ')).join(', ')}`)
  })
  expect(violations).toEqual([])
}
