// The local provider through the Provider interface: tool-grounded replies for tier-1 intents,
// confirmation before writes, escalation otherwise, streaming and determinism.
import { beforeAll, describe, expect, test } from 'bun:test'
import type { ProviderMessage, ProviderRequest } from '../../../providers/provider.ts'
import { createLocalProvider, isLocalEscalation, loadIntentModel, localDecision, type LocalProviderResponse } from '../../../providers/local/index.ts'
import { playTurns } from './play-turns.ts'
import { loadRetailDb, retailToolSpecs, runRetailTool } from './retail-fixture.ts'

const tools = retailToolSpecs()
const local = createLocalProvider()
const request = (messages: ProviderMessage[]): ProviderRequest => ({ model: 'local', messages, tools })

/** Plays customer turns, running every requested tool against a fresh db copy until the provider replies. */
async function converse(turns: string[]): Promise<{ messages: ProviderMessage[]; last: LocalProviderResponse; db: ReturnType<typeof loadRetailDb> }> {
  const db = loadRetailDb()
  const { messages, last } = await playTurns(turns, { tools, runTool: (call) => runRetailTool(db, call) })
  if (!last) throw new Error('no turns')
  return { messages, last, db }
}

const toolNames = (messages: ProviderMessage[]): string[] => messages.flatMap((m) => (m.role === 'tool' ? [m.name] : []))

beforeAll(() => loadIntentModel(), 20_000) // train once up front so no single test pays for it

describe('local provider: order status', () => {
  test('asks to authenticate first, then grounds the status in the tool results', async () => {
    const first = await local.complete(request([{ role: 'user', content: 'Where is my order #W2611340?' }]))
    expect(first).toMatchObject({ provider: 'local', stopReason: 'end', toolCalls: [] })
    expect(first.text).toContain('verify your identity')

    const { messages, last } = await converse(['Where is my order #W2611340?', 'my email is james.li4495@example.com'])
    expect(toolNames(messages)).toEqual(['find_user_id_by_email', 'get_order_details'])
    const tool = messages.find((m) => m.role === 'tool' && m.name === 'get_order_details')
    expect(tool?.role === 'tool' && JSON.parse(tool.content).status).toBe('processed')
    expect(last.decision).toMatchObject({ action: 'reply', task: 'order_status', reason: 'order_status' })
    expect(last.text).toContain('#W2611340 is processed')
    expect(last.text).toContain('357962501027') // the tracking id from the tool result
  })

  test('a tool call round trip: stop reason tool_use, then a reply once the result is in', async () => {
    const messages: ProviderMessage[] = [{ role: 'user', content: 'Track order W2611340, I am James Li, zip 10083' }]
    const auth = await local.complete(request(messages))
    expect(auth.stopReason).toBe('tool_use')
    expect(auth.toolCalls).toEqual([{ id: expect.any(String), name: 'find_user_id_by_name_zip', arguments: { first_name: 'James', last_name: 'Li', zip: '10083' } }])
    const authId = auth.toolCalls[0]?.id ?? ''
    messages.push({ role: 'assistant', content: '', toolCalls: auth.toolCalls })
    messages.push({ role: 'tool', toolCallId: authId, name: 'find_user_id_by_name_zip', content: 'james_li_5688' })
    const lookup = await local.complete(request(messages))
    expect(lookup.toolCalls.map((c) => [c.name, c.arguments])).toEqual([['get_order_details', { order_id: '#W2611340' }]])
    messages.push({ role: 'assistant', content: '', toolCalls: lookup.toolCalls })
    const order = { order_id: '#W2611340', user_id: 'james_li_5688', status: 'delivered', items: [], fulfillments: [], payment_history: [] }
    messages.push({ role: 'tool', toolCallId: lookup.toolCalls[0]?.id ?? '', name: 'get_order_details', content: JSON.stringify(order) })
    const answer = await local.complete(request(messages))
    expect(answer).toMatchObject({ stopReason: 'end', toolCalls: [] })
    expect(answer.text).toContain('#W2611340 is delivered') // the status the tool returned, not the db's
  })

  test('an unknown email is not trusted: asks again instead of answering', async () => {
    const { messages, last } = await converse(['where is my order #W2611340? nobody@example.com'])
    expect(toolNames(messages)).toEqual(['find_user_id_by_email'])
    expect(last.decision.reason).toBe('authentication_failed')
  })

  test('refuses to discuss another customer\'s order', async () => {
    const { last } = await converse(['status of order #W5918442, my email is james.li4495@example.com'])
    expect(last.decision.reason).toBe('order_not_owned')
  })
})

describe('local provider: cancellation and return', () => {
  test('cancels a pending order only after reason and explicit yes', async () => {
    const { messages, last, db } = await converse(['I want to cancel order W5918442', "I'm Sofia Rossi, zip 78784", 'no longer needed', 'yes'])
    expect(toolNames(messages)).toEqual(['find_user_id_by_name_zip', 'get_order_details', 'cancel_pending_order'])
    const cancel = messages.flatMap((m) => (m.role === 'assistant' ? m.toolCalls ?? [] : [])).find((c) => c.name === 'cancel_pending_order')
    expect(cancel?.arguments).toEqual({ order_id: '#W5918442', reason: 'no longer needed' })
    expect(db.orders['#W5918442']?.status).toBe('cancelled')
    expect(last.text).toContain('now cancelled')
    expect(messages.find((m) => m.role === 'assistant' && m.content.includes('Please reply "yes"'))?.content).toContain('5 to 7 business days') // policy: non-gift-card refunds
  })

  test('a "yes" without our confirmation request does not cancel', async () => {
    const { messages } = await converse(['yes cancel order W5918442 ordered by mistake, sofia.rossi2645@example.com'])
    expect(toolNames(messages)).not.toContain('cancel_pending_order')
  })

  test('will not cancel an order that is not pending (policy)', async () => {
    const { last } = await converse(['cancel order #W4817420 please, email ava.moore6020@example.com'])
    expect(last.decision.reason).toBe('status_delivered')
    expect(last.text).toContain('Only pending orders can be cancelled')
  })

  test('returns the named item of a delivered order to the original payment method', async () => {
    const { messages, last } = await converse(['I want to return some items', 'ava.moore6020@example.com, order #W4817420', 'only 6777246137', 'yes please'])
    const call = messages.flatMap((m) => (m.role === 'assistant' ? m.toolCalls ?? [] : [])).find((c) => c.name === 'return_delivered_order_items')
    expect(call?.arguments).toEqual({ order_id: '#W4817420', item_ids: ['6777246137'], payment_method_id: 'gift_card_8168843' })
    expect(last.decision.reason).toBe('done')
  })
})

describe('local provider: account and password help', () => {
  test('password help verifies the account and names the email on file', async () => {
    const { messages, last } = await converse(['I forgot my password', 'sofia.rossi2645@example.com'])
    expect(toolNames(messages)).toEqual(['find_user_id_by_email', 'get_user_details'])
    expect(last.text).toContain('sofia.rossi2645@example.com')
  })

  test('account help lists the profile from get_user_details', async () => {
    const { last } = await converse(['what details do you have on my account? my email is ava.moore6020@example.com'])
    expect(last.decision.reason).toBe('account_details')
    expect(last.text).toContain('gift_card_8168843')
  })
})

describe('local provider: escalation, streaming, determinism', () => {
  test('off-topic and unsupported requests escalate with a machine-readable reason', async () => {
    const offTopic = await local.complete(request([{ role: 'user', content: 'can you write me a poem about cats' }]))
    expect(isLocalEscalation(offTopic)).toBe(true)
    expect(offTopic.decision).toMatchObject({ action: 'escalate', reason: 'low_confidence', intent: 'out_of_scope' })
    expect(offTopic.stopReason).toBe('end')
    expect(offTopic.text).toContain('human agent')
    const complaint = await local.complete(request([{ role: 'user', content: 'I want to file a complaint about your service' }]))
    expect(complaint.decision.reason).toBe('unsupported_intent:complaint')
    const human = await local.complete(request([{ role: 'user', content: 'I want to speak to a human agent' }]))
    expect(human.decision.reason).toBe('customer_requested_human')
  })

  test('escalates when the tool it needs was not offered', async () => {
    const res = await local.complete({ model: 'local', messages: [{ role: 'user', content: 'where is order #W2611340? james.li4495@example.com' }] })
    expect(res.decision).toMatchObject({ action: 'escalate', reason: 'tool_unavailable:find_user_id_by_email' })
  })

  test('stream yields the reply in word chunks, then done with the same response', async () => {
    const req = request([{ role: 'user', content: 'I forgot my password' }])
    const events = []
    for await (const e of local.stream(req)) events.push(e)
    const done = events.at(-1)
    expect(done?.type).toBe('done')
    const text = events.flatMap((e) => (e.type === 'text' ? [e.delta] : [])).join('')
    expect(events.length).toBeGreaterThan(5)
    expect(done?.type === 'done' && done.response.text).toBe(text)
  })

  test('same input, same output (including tool call ids)', async () => {
    const a = await converse(['I want to cancel order W5918442', "I'm Sofia Rossi, zip 78784", 'ordered by mistake', 'yes'])
    const b = await converse(['I want to cancel order W5918442', "I'm Sofia Rossi, zip 78784", 'ordered by mistake', 'yes'])
    expect(b.messages).toEqual(a.messages)
    const messages: ProviderMessage[] = [{ role: 'user', content: 'hello there, where is my order?' }]
    expect(localDecision(messages, { tools })).toEqual(localDecision(messages, { tools }))
  })
})
