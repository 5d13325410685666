// The Arena report in the console, in a real browser (Debian's Chromium): a supervisor opens a run, reads the
// per-configuration summary, opens a scenario and sees the transcripts side by side with the first difference
// marked. The run's trials are recorded straight in storage, as a finished run leaves them. Checked with axe-core.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { createRun, unplayedTrial, type TrialResult } from '../../arena/index.ts'
import { consolePerson } from '../api/console-harness.ts'
import { startApiHarness, type ApiHarness } from '../api/harness.ts'
import { launchChromium, type Browser } from './browser.ts'

const AXE = readFileSync(join(import.meta.dir, '..', '..', 'node_modules', 'axe-core', 'axe.min.js'), 'utf8')
const PASSWORD = 'supervisor password for the arena page'

let h: ApiHarness
let browser: Browser
let base: string
beforeAll(async () => {
  h = await startApiHarness()
  h.platform.app!.listen({ hostname: '127.0.0.1', port: 0 })
  base = `http://127.0.0.1:${h.platform.app!.server!.port}`
  browser = await launchChromium()
}, 60_000)
afterAll(async () => {
  await browser?.close()
  await h?.close()
}, 30_000)

async function expectAccessible(page: Page): Promise<void> {
  await page.evaluate(AXE)
  const violations = await page.evaluate(async () => {
    const result = await (window as any).axe.run(document, { resultTypes: ['violations'] })
    return result.violations.filter((v: any) => v.impact === 'serious' || v.impact === 'critical').map((v: any) => v.id)
  })
  expect(violations).toEqual([])
}

/** A finished trial whose conversation was `replies` after the customer's greeting. */
function result(success: boolean, reply: string): TrialResult {
  const { error: _error, ...base } = unplayedTrial('')
  return { ...base, success, failures: success ? [] : ['must not call cancel_pending_order: it ran'], transcript: [
    { role: 'customer', text: 'Hi, where is my order?' }, { role: 'assistant', text: reply },
  ] }
}

test('a supervisor reads a run side by side, down to the first message where the configurations part ways', async () => {
  const runs = h.platform.storage.arenaRuns
  await createRun(runs, { id: 'run-ui', tenantId: h.a.id, spec: {
    name: 'policy on and off', trials: 1, configurations: [{ name: 'guarded' }, { name: 'unguarded', policy: null }],
    scenarios: [{ kind: 'scripted', id: 'status-question', customer: ['Hi, where is my order?'], assertions: {} }],
  } })
  for (const [config, ok, reply] of [['guarded', true, 'I could not change that order.'], ['unguarded', false, 'Your order is cancelled.']] as const) {
    const trial = (await runs.claim('run-ui', 'test'))!
    expect(trial.config).toBe(config)
    await runs.finish('run-ui', trial, 'test', { success: ok, costUsd: 0, conversationId: `conv-${config}`, result: result(ok, reply) })
  }
  await consolePerson(h, h.a.id, 'supervisor', 'sam@example.com', PASSWORD)
  const page = await browser.context.newPage()
  page.setDefaultTimeout(30_000)
  await page.goto(`${base}/console`)
  await page.getByLabel('Tenant').fill(h.a.id)
  await page.getByLabel('Email').fill('sam@example.com')
  await page.getByLabel('Password').fill(PASSWORD)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.getByRole('link', { name: 'Arena' }).click()
  await page.getByRole('link', { name: 'policy on and off' }).click()
  await page.getByRole('table', { name: 'Per configuration' }).waitFor()
  await expect(page.getByRole('row', { name: /^guarded/ }).innerText()).resolves.toContain('100%')
  await expect(page.getByRole('row', { name: /^unguarded/ }).innerText()).resolves.toContain('0%')
  await page.getByRole('button', { name: 'status-question' }).click()
  const marked = page.getByLabel('first difference')
  await expect(marked.count()).resolves.toBe(2)
  await expect(marked.nth(0).innerText()).resolves.toContain('I could not change that order.')
  await expect(marked.nth(1).innerText()).resolves.toContain('Your order is cancelled.')
  await expect(page.getByText('must not call cancel_pending_order: it ran').isVisible()).resolves.toBe(true)
  await expectAccessible(page)
}, 90_000)
