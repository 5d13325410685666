// Topic boundaries, before any model is asked: an out-of-scope request is declined with the policy's message (or
// escalated, or handed to another agent, as the policy says per topic); an answer to the agent's own question is
// never judged, wherever the question stands in its reply; a customer asking for a person, or saying who they
// are, is never declined. The why view shows the decision.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { startAgentsHarness, type AgentsHarness } from '../agents/harness.ts'

let h: AgentsHarness
const model = { provider: 'openai', model: 'gpt-4o-mini' }
const DECLINE = 'I can only help with your orders, returns, exchanges and your account here. Is there anything like that I can do for you?'

beforeAll(async () => {
  h = await startAgentsHarness()
  const retail = (await h.call('GET', '/v1/agentpolicies/retail')).body.spec
  await h.put('agents', 'concierge', { instructions: 'You answer general questions about the shop.', model })
  await h.put('agentpolicies', 'routed-topics', {
    ...retail, tenant: undefined, version: 'topics-1',
    topics: { outOfScope: { action: 'handoff', agent: 'concierge' }, rules: [{ intents: ['complaint'], action: 'escalate' }] },
  })
  await h.put('agents', 'shop', { instructions: 'You are the retail agent.', model, tools: ['retail/*'], policy: 'retail' })
  await h.put('agents', 'shop-routed', { instructions: 'You are the retail agent.', model, tools: ['retail/*'], policy: 'routed-topics' })
})
afterAll(() => h.close())

const asked = (text: string) => h.emu.requests.filter((r) => r.lastText === text)

test('an out-of-scope request is declined with the policy message, and no model is asked', async () => {
  const c = await h.newConversation('shop')
  const turnId = await h.post(c, 'What will the weather be like in Paris tomorrow?')
  expect(await h.reply(turnId)).toBe(DECLINE)
  expect(asked('What will the weather be like in Paris tomorrow?')).toHaveLength(0)
  const why = (await h.call('GET', `/v1/conversations/${c}/turns/${turnId}/why`)).body
  expect(why.topic).toMatchObject({ action: 'decline', rule: 'topics.outOfScope', policy: 'retail', intent: 'out_of_scope' })
  expect(why.ran).toMatchObject({ agent: 'shop', policy: 'retail', intent: 'out_of_scope' })
})

test('an answer to the agent\'s own question is never judged, and asking for a person is never declined', async () => {
  h.emu.script({ match: { textIncludes: 'my order is late' }, reply: { text: 'Sorry to hear that. Which city should it go to?' } },
    { match: { textIncludes: 'Paris' }, reply: { text: 'Thanks, noted: Paris.' } },
    { match: { textIncludes: 'talk to a human' }, reply: { toolCalls: [{ name: 'transfer_to_human', arguments: { reason: 'asked for a person', category: 'customer_asked' } }] } })
  const c = await h.newConversation('shop')
  await h.reply(await h.post(c, 'my order is late'))
  expect(await h.reply(await h.post(c, 'Paris'))).toBe('Thanks, noted: Paris.')
  const other = await h.newConversation('shop')
  await h.reply(await h.post(other, 'I want to talk to a human, this is ridiculous!!'))
  const [escalation] = (await h.call('GET', '/v1/escalations?status=open')).body.data.filter((e: { conversationId: string }) => e.conversationId === other)
  expect(escalation).toMatchObject({ reason: 'agent.escalated', detail: 'customer_asked: asked for a person' })
})

test('a reply to the agent\'s pending proposal, and a short reply or one about its question, are never judged as new requests', async () => {
  const proposal = 'I can cancel the order with the grill for you. Shall I go ahead? Please reply "yes" to confirm.'
  h.emu.script({ match: { textIncludes: 'cancel the grill' }, reply: { text: proposal } },
    { match: { textIncludes: 'I regret' }, reply: { text: 'All right, I have not cancelled it. Which colour would you like?' } },
    { match: { textIncludes: 'What would you suggest' }, reply: { text: 'Which hiking boots would you like instead?' } },
    { match: { textIncludes: 'made of leather' }, reply: { text: 'Noted: leather, size 9.' } })
  const c = await h.newConversation('shop')
  expect(await h.reply(await h.post(c, 'I want to cancel the grill in my pending order'))).toBe(proposal)
  // Out of scope read alone (the topic model knows no "regret"): here it answers the proposal.
  const regret = await h.post(c, 'I regret and want to keep it.')
  expect(await h.reply(regret)).toBe('All right, I have not cancelled it. Which colour would you like?')
  expect(await h.reply(await h.post(c, "I'm not sure. What would you suggest?"))).toBe('Which hiking boots would you like instead?')
  // Longer, and out of scope read alone: it takes up what the question was about.
  expect(await h.reply(await h.post(c, 'Get the hiking boots with a size 9 but made of leather, they also need to be waterproof.'))).toBe('Noted: leather, size 9.')
  const why = (await h.call('GET', `/v1/conversations/${c}/turns/${regret}/why`)).body
  expect(why.topic).toBeNull()
})

test('per topic: a complaint escalates; an out-of-scope request is handed to another agent, who answers', async () => {
  const complaint = await h.newConversation('shop-routed')
  await h.reply(await h.post(complaint, 'I want to file a complaint about your terrible service'))
  const open = (await h.call('GET', '/v1/escalations?status=open')).body.data
  expect(open.find((e: { conversationId: string }) => e.conversationId === complaint)).toMatchObject({ reason: 'topic.out_of_scope' })

  h.emu.script({ match: { textIncludes: 'gift wrapping' }, reply: { text: 'Yes, every order can be gift wrapped.' } })
  const c = await h.newConversation('shop-routed')
  const turnId = await h.post(c, 'Do you offer gift wrapping for birthdays?')
  expect(await h.reply(turnId)).toBe('Yes, every order can be gift wrapped.')
  expect(asked('Do you offer gift wrapping for birthdays?')[0]!.system).toContain('You answer general questions about the shop.')
  expect((await h.call('GET', `/v1/conversations/${c}`)).body.agent).toBe('concierge')
})

test('a customer who opens with who they are reaches the model, and a short answer to a question with its choices after it is no new request', async () => {
  const question = 'Which payment method should the refund go to? On your profile: paypal_1234567; credit_card_7654321.'
  h.emu.script({ match: { textIncludes: 'no longer need' }, reply: { text: question } },
    { match: { textIncludes: 'no preference' }, reply: { text: 'Then the refund goes back to the original payment method.' } })
  const c = await h.newConversation('shop')
  // Each part out of scope read alone: the name and email, and "I have no preference".
  const opening = await h.post(c, "I'm Mei Kim, my email is mei.kim3934@example.com. I no longer need the hiking boots and the keyboard.")
  expect(await h.reply(opening)).toBe(question)
  const answer = await h.post(c, 'I have no preference.')
  expect(await h.reply(answer)).toBe('Then the refund goes back to the original payment method.')
  for (const turn of [opening, answer]) expect((await h.call('GET', `/v1/conversations/${c}/turns/${turn}/why`)).body.topic).toBeNull()
})
