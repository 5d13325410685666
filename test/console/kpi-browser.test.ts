// The KPI page in a real browser (Debian's Chromium): a supervisor reads the tenant's confirmed resolution rate, the
// abandoned share, the charts per day and the figures by conversation type, over conversations written with known
// outcomes (worked out in the comments). Checked with axe-core.
import { expect, test } from 'bun:test'
import { consolePerson } from '../api/console-harness.ts'
import { insertConversation } from '../support/kpi-fixtures.ts'
import { consoleUnderTest, expectAccessible, signIn } from './console-page.ts'

const PASSWORD = 'supervisor password for the kpi page'
const DAY = 86_400_000

const ui = consoleUnderTest()

test('a supervisor reads confirmed resolutions, abandonment, the daily charts and the figures by type', async () => {
  const tenant = ui.h.a.id
  const sql = ui.h.platform.storage.sql
  const now = Date.now()
  const ask = (atS: number, text?: string) => ({ role: 'customer' as const, atS, text })
  const reply = (atS: number) => ({ role: 'assistant' as const, atS })
  // Resolved: the customer says it worked.
  await insertConversation(sql, { id: `${tenant}-kpi-a`, tenant, customer: 'k1', intent: 'order_status', createdAt: now - 3 * DAY,
    messages: [ask(0), reply(5), ask(60, 'Thanks, that worked!')], closedAtS: 120 })
  // Abandoned: silent for two days after the reply, never closed (never counted as resolved).
  await insertConversation(sql, { id: `${tenant}-kpi-b`, tenant, customer: 'k2', intent: 'order_status', createdAt: now - 2 * DAY,
    messages: [ask(0), reply(3)] })
  // Resolved: closed and rated 5.
  await insertConversation(sql, { id: `${tenant}-kpi-c`, tenant, customer: 'k3', intent: 'return_item', createdAt: now - 4 * DAY, csat: 5,
    messages: [ask(0), reply(10)], closedAtS: 30 })
  await consolePerson(ui.h, tenant, 'supervisor', 'kim@example.com', PASSWORD)

  const page = await ui.browser.context.newPage()
  page.setDefaultTimeout(30_000)
  await page.goto(`${ui.base}/console`)
  await signIn(page, tenant, 'kim@example.com', PASSWORD)
  await page.getByRole('link', { name: 'KPIs' }).click()
  const headline = page.getByRole('table', { name: 'Headline figures' })
  await headline.waitFor()
  // 2 resolved of 3 decided; 1 of 3 abandoned.
  await expect(headline.getByRole('row', { name: /^Conversations/ }).innerText()).resolves.toContain('3')
  await expect(headline.getByRole('row', { name: /^Resolution rate/ }).innerText()).resolves.toContain('66.7%')
  await expect(headline.getByRole('row', { name: /^Abandoned/ }).innerText()).resolves.toContain('33.3%')
  // Every day of the 30-day window is on the chart (30 or 31 bucket starts), bars on the three with a conversation.
  await expect(page.locator('svg[aria-label^="Conversations per period"]').getAttribute('aria-label')).resolves.toMatch(/^Conversations per period: 3 over 3[01] periods$/)
  await expect(page.locator('svg .bar.resolved').count()).resolves.toBe(3)
  const byType = page.getByRole('table', { name: 'By type' })
  await expect(byType.getByRole('row', { name: /^order_status/ }).innerText()).resolves.toMatch(/order_status\s+2\s+50%\s+50%/)
  await expect(byType.getByRole('row', { name: /^return_item/ }).innerText()).resolves.toMatch(/return_item\s+1\s+100%/)
  await expectAccessible(page)
}, 90_000)
