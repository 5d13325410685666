// A refund above the policy's approval threshold waits for a person: the customer is told honestly, the request
// shows in the approvals queue, and on approval the action runs once and the customer hears the outcome; a denial
// runs nothing and says why.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import type { Script } from '../../emulator/index.ts'
import { waitFor } from '../support/wait.ts'
import { startAgentsHarness, type AgentsHarness } from '../agents/harness.ts'

let h: AgentsHarness
const EMAIL = 'ivan.santos3158@example.com'
const ORDER = '#W6893533'

beforeAll(async () => {
  h = await startAgentsHarness()
  const retail = (await h.call('GET', '/v1/agentpolicies/retail')).body.spec
  const tools = retail.tools.map((r: { name: string }) => (r.name === 'return' ? { ...r, approvalAbove: 100 } : r))
  await h.put('agentpolicies', 'retail-approvals', { ...retail, tenant: undefined, version: 'approvals-1', tools })
  await h.put('agents', 'approver', {
    instructions: 'You are the retail support agent.', model: { provider: 'openai', model: 'gpt-4o-mini' }, tools: ['retail/*'], policy: 'retail-approvals',
  })
})
afterAll(() => h.close())

const say = (textIncludes: string, text: string): Script => ({ match: { textIncludes }, reply: { text } })
const call = (textIncludes: string, name: string, args: Record<string, unknown>): Script =>
  ({ match: { textIncludes }, reply: { toolCalls: [{ name, arguments: args }] } })

async function requestReturn(itemIds: string[], cue: string): Promise<{ conversationId: string; held: string }> {
  const conversationId = await h.newConversation('approver')
  const args = { order_id: ORDER, item_ids: itemIds, payment_method_id: 'paypal_6151711' }
  h.emu.script(call(`${cue}: I am [email_1]`, 'find_user_id_by_email', { email: '[email_1]' }),
    call('ivan_santos_6635', 'get_order_details', { order_id: ORDER }),
    say('1646531091', `Returning items ${itemIds.join(' and ')} of ${ORDER} to paypal_6151711. Reply yes to confirm.`),
    call(`yes for ${cue}`, 'return_delivered_order_items', args))
  await h.reply(await h.post(conversationId, `${cue}: I am ${EMAIL}, return from ${ORDER}`))
  const held = await h.reply(await h.post(conversationId, `yes for ${cue}`))
  return { conversationId, held }
}

const status = async () => (await h.db.sql`select status from retail_orders where order_id = ${ORDER}`)[0]!.status
const lastReply = (conversationId: string) => waitFor(async () => {
  const [row] = await h.db.sql`select text from messages where conversation_id = ${conversationId} and role = 'assistant' order by seq desc limit 1`
  return row && /approv/.test(row.text) && row.text.includes('team') && !row.text.startsWith('This needs') ? row.text as string : undefined
}, 15_000, 'the outcome reply')

test('a denied refund never runs, and the customer hears why', async () => {
  const { conversationId, held } = await requestReturn(['1646531091'], 'first')
  expect(held).toBe(`This needs the approval of a member of our team: return items 1646531091 of order ${ORDER}, refunding them to paypal_6151711 ($232.49). I have sent it to them; you will hear back here.`)
  const [pending] = (await h.call('GET', '/v1/approvals?status=pending')).body.data
  expect(pending).toMatchObject({ conversationId, tool: 'return_delivered_order_items', amountUsd: 232.49, rule: 'return.approval', policy: 'retail-approvals' })
  const denied = await h.call('POST', `/v1/approvals/${pending.id}/deny`, { agent: 'maria@acme', reason: 'the items were used' })
  expect(denied.body.status).toBe('denied')
  expect(await lastReply(conversationId)).toContain('could not approve it: the items were used')
  expect(await status()).toBe('delivered')
  expect((await h.call('POST', `/v1/approvals/${pending.id}/approve`, { agent: 'maria@acme' })).status).toBe(409)
})

test('an approved refund runs once, and the customer hears it is done', async () => {
  const { conversationId } = await requestReturn(['1646531091'], 'second')
  const [pending] = (await h.call('GET', '/v1/approvals?status=pending')).body.data
  const approve = () => h.call('POST', `/v1/approvals/${pending.id}/approve`, { agent: 'maria@acme' })
  expect((await approve()).body.status).toBe('approved')
  expect(await lastReply(conversationId)).toStartWith('Good news: a member of our team approved return items')
  expect(await status()).toBe('return requested')
  // Approving again (a client whose answer was lost) tells the actor again; nothing runs twice.
  expect((await approve()).status).toBe(200)
  await waitFor(async () => (await h.platform.mailbox.backlog(conversationId)) === 0, 5000, 'the mailbox drained')
  const outcomes = await h.db.sql`select count(*)::int as n from messages where conversation_id = ${conversationId} and text like 'Good news%'`
  expect(outcomes[0]!.n).toBe(1)
  const writes = await h.db.sql`select count(*)::int as n from tool_calls where tool = 'return_delivered_order_items' and ok`
  expect(writes[0]!.n).toBe(1)
  const decisions = (await h.call('GET', `/v1/conversations/${conversationId}/decisions`)).body.data.map((d: { outcome: string; rule: string }) => `${d.outcome} ${d.rule}`)
  expect(decisions.slice(-2)).toEqual(['approve return.approval', 'allow return'])
})
