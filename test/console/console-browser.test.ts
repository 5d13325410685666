// The console in a real browser (Debian's Chromium): an agent signs in, takes an escalated conversation with the
// keyboard, reads its handoff package, approves a pending refund, hands it back, then edits and sends an assist
// draft, and the customer's own SSE stream receives the edited reply. Pages are checked with axe-core; a screenshot
// is kept in test-artifacts/. The refund waits in the agent policy's approval store, as the policy left it.
import { expect, test } from 'bun:test'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { consolePerson } from '../api/console-harness.ts'
import { newConversation } from '../api/harness.ts'
import { waitFor } from '../support/wait.ts'
import { consoleUnderTest, expectAccessible, signIn } from './console-page.ts'

const ARTIFACTS = join(import.meta.dir, '..', '..', 'test-artifacts')
const PASSWORD = 'agent password for the browser test'
const UI_TIMEOUT = 30_000

const ui = consoleUnderTest({ AGENT_PROVIDER: 'local', CONSOLE_SLA_SWEEP_MS: '0' })

/** The customer's side: the conversation's events as a widget reads them, over SSE with the tenant key. */
function customerStream(conversationId: string) {
  const received: { type: string; data: any }[] = []
  const abort = new AbortController()
  void (async () => {
    const res = await fetch(`${ui.base}/v1/conversations/${conversationId}/events`, { headers: { authorization: `Bearer ${ui.h.a.key}` }, signal: abort.signal })
    const decoder = new TextDecoder()
    const reader = res.body!.getReader()
    let buffer = ''
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
      buffer += decoder.decode(chunk.value, { stream: true })
      for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
        const frame = buffer.slice(0, end)
        buffer = buffer.slice(end + 2)
        const data = /^data: (.*)$/m.exec(frame)?.[1]
        if (data) received.push(JSON.parse(data))
      }
    }
  })().catch(() => {})
  return { received, close: () => abort.abort() }
}

test('an agent takes a handoff, reads its package, approves a refund, and sends an edited assist draft the customer receives', async () => {
  await consolePerson(ui.h, ui.h.a.id, 'agent', 'anna@example.com', PASSWORD)
  const id = await newConversation(ui.h, ui.h.a.key, { customer: { email: 'noah.brown7922@example.com', name: 'Noah Brown' } })
  const customer = customerStream(id)
  await ui.h.call('POST', `/v1/conversations/${id}/messages`, { body: { text: 'I want to talk to a human agent' } })
  await waitFor(async () => customer.received.some((e) => e.type === 'escalation.opened'), 15_000, 'the escalation')
  const approvalId = `apr_${crypto.randomUUID().replaceAll('-', '')}`
  await ui.h.platform.storage.approvals.request({
    id: approvalId, tenantId: ui.h.a.id, conversationId: id, turnId: `${id}-t1`, agent: 'demo', tool: 'return_delivered_order_items',
    args: { order_id: '#W2378156', item_ids: ['4983901480'], payment_method_id: 'credit_card_9513926' }, action: 'refund #W2378156',
    summary: 'a refund of 312.50 USD for order #W2378156', amountUsd: 312.5, policy: 'retail', policyVersion: '3', rule: 'refund_over_200',
  })

  const page = await ui.browser.context.newPage()
  page.setDefaultTimeout(UI_TIMEOUT)
  await page.goto(`${ui.base}/console`)
  await expectAccessible(page)
  await signIn(page, ui.h.a.id, 'anna@example.com', PASSWORD)

  // The inbox: the handoff is there with its SLA clock; `e` takes it, `r` opens it to reply.
  await page.getByRole('cell', { name: 'Noah Brown' }).waitFor()
  await expect(page.getByText(/first reply: \d/).first().isVisible()).resolves.toBe(true)
  await expectAccessible(page)
  await page.keyboard.press('e')
  await page.getByText('Taken: Noah Brown').waitFor()
  await page.keyboard.press('r')
  await page.getByRole('heading', { name: 'Handoff package' }).waitFor()
  await expect(page.getByLabel('Reply to the customer').evaluate((el) => el === document.activeElement)).resolves.toBe(true)
  await expect(page.getByText('Customer asked for a person').first().isVisible()).resolves.toBe(true)
  await expect(page.locator('.summary').innerText()).resolves.toContain('"I want to talk to a human agent"')
  await expect(page.getByText('noah.brown7922@example.com').isVisible()).resolves.toBe(true)
  await expectAccessible(page)
  await waitFor(async () => customer.received.find((e) => e.type === 'escalation.taken')?.data.agent === 'anna@example.com', 10_000, 'taken')

  // The agent policy asks a person before a refund over 200 USD runs.
  await page.getByText('312.50 USD').first().waitFor()
  await page.getByRole('button', { name: 'Approve' }).click()
  await waitFor(async () => (await ui.h.platform.storage.approvals.get(ui.h.a.id, approvalId))?.status === 'approved', 10_000, 'the approval')
  expect((await ui.h.platform.storage.approvals.get(ui.h.a.id, approvalId))!.decidedBy).toBe('anna@example.com')
  // The conversation's actor acts on the decision and tells the customer, once.
  const outcome = await waitFor(async () => customer.received.find((e) => e.type === 'reply.completed' && e.data.turnId === approvalId), 15_000, 'the outcome')
  expect(outcome.data.text).toContain('approved a refund of 312.50 USD for order #W2378156')
  await page.getByRole('heading', { name: 'Approval requests' }).waitFor({ state: 'detached' })

  // Handed back to the AI agent, now in assist mode: its next reply is a draft the agent edits and sends.
  await page.getByRole('button', { name: 'Resolve and hand back to AI' }).click()
  await waitFor(async () => customer.received.some((e) => e.type === 'escalation.resolved'), 10_000, 'the hand-back')
  await ui.h.call('PUT', '/v1/agents/demo/mode', { body: { mode: 'assist' } })
  await ui.h.call('POST', `/v1/conversations/${id}/messages`, { body: { text: 'Where is my order #W2378156?' } })
  const draft = page.getByLabel(/Draft reply by the AI agent/)
  await draft.waitFor()
  const edited = 'Hi Noah, Anna here. Could you confirm the email on your account so I can look up #W2378156?'
  await draft.fill(edited)
  await page.getByRole('button', { name: 'Send edited draft' }).click()
  const reply = await waitFor(async () => customer.received.find((e) => e.type === 'reply.completed' && e.data.edited), 15_000, 'the sent draft')
  expect(reply.data).toMatchObject({ text: edited, approvedBy: 'anna@example.com' })
  await page.getByText(edited).first().waitFor()

  mkdirSync(ARTIFACTS, { recursive: true })
  await page.screenshot({ path: join(ARTIFACTS, 'console-conversation.png'), fullPage: true })
  customer.close()
  await ui.h.call('PUT', '/v1/agents/demo/mode', { body: { mode: 'execute' } })
}, 120_000)
