// The Arena report in the console, in a real browser (Debian's Chromium): a supervisor opens a run, reads the
// per-configuration summary, opens a scenario and sees the transcripts side by side with the first difference
// marked. The run's trials are recorded straight in storage, as a finished run leaves them. Checked with axe-core.
import { expect, test } from 'bun:test'
import { createRun, unplayedTrial, type TrialResult } from '../../arena/index.ts'
import { consolePerson } from '../api/console-harness.ts'
import { consoleUnderTest, expectAccessible, signIn } from './console-page.ts'

const PASSWORD = 'supervisor password for the arena page'

const ui = consoleUnderTest()

/** A finished trial whose conversation was `replies` after the customer's greeting. */
function result(success: boolean, reply: string): TrialResult {
  const { error: _error, ...unplayed } = unplayedTrial('')
  return { ...unplayed, success, failures: success ? [] : ['must not call cancel_pending_order: it ran'], transcript: [
    { role: 'customer', text: 'Hi, where is my order?' }, { role: 'assistant', text: reply },
  ] }
}

test('a supervisor reads a run side by side, down to the first message where the configurations part ways', async () => {
  const runs = ui.h.platform.storage.arenaRuns
  await createRun(runs, { id: 'run-ui', tenantId: ui.h.a.id, spec: {
    name: 'policy on and off', trials: 1, configurations: [{ name: 'guarded' }, { name: 'unguarded', policy: null }],
    scenarios: [{ kind: 'scripted', id: 'status-question', customer: ['Hi, where is my order?'], assertions: {} }],
  } })
  for (const [config, ok, reply] of [['guarded', true, 'I could not change that order.'], ['unguarded', false, 'Your order is cancelled.']] as const) {
    const trial = (await runs.claim('run-ui', 'test'))!
    expect(trial.config).toBe(config)
    await runs.finish('run-ui', trial, 'test', { success: ok, costUsd: 0, conversationId: `conv-${config}`, result: result(ok, reply) })
  }
  await consolePerson(ui.h, ui.h.a.id, 'supervisor', 'sam@example.com', PASSWORD)
  const page = await ui.browser.context.newPage()
  page.setDefaultTimeout(30_000)
  await page.goto(`${ui.base}/console`)
  await signIn(page, ui.h.a.id, 'sam@example.com', PASSWORD)
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
