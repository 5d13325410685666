// A vendor model that calls the platform's transfer_to_human tool opens a real escalation with the reason it
// gave, the customer hears the agent's handoff message, and the agent stays silent while a person is in charge.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { waitFor } from '../support/wait.ts'
import { startAgentsHarness, type AgentsHarness } from './harness.ts'

let h: AgentsHarness
beforeAll(async () => {
  h = await startAgentsHarness()
})
afterAll(() => h.close())

test('transfer_to_human opens an escalation with the model\'s reason; later messages go to the person', async () => {
  await h.put('agents', 'concierge', {
    instructions: 'You answer questions about the shop.', model: { provider: 'openai', model: 'gpt-4o-mini' },
    handoffMessage: 'A colleague from our team will take it from here.',
  })
  h.emu.script({
    match: { textIncludes: 'bereavement' },
    reply: { toolCalls: [{ name: 'transfer_to_human', arguments: { reason: 'asks for a bereavement discount, which no policy covers' } }] },
  })
  const conversationId = await h.newConversation('concierge')
  const turnId = await h.post(conversationId, 'Is there a bereavement discount?')
  // The agent's own handoff message, then where the customer stands in the queue (nobody is available in this test).
  const reply = await h.reply(turnId)
  expect(reply).toStartWith('A colleague from our team will take it from here. ')
  expect(reply).toContain('we aim to reply within about 5 minutes')
  const [escalation] = (await h.call('GET', '/v1/escalations?status=open')).body.data
  expect(escalation).toMatchObject({ conversationId, reason: 'agent.escalated', detail: 'asks for a bereavement discount, which no policy covers' })

  const calls = h.emu.requests.length
  const later = await h.post(conversationId, 'hello? anyone?')
  const events = await waitFor(async () => {
    const read = await h.platform.storage.events.read(conversationId, '0', { count: 100 })
    return read.some((e) => e.event.type === 'message.received' && e.event.id === later) && read
  }, 10_000, 'the message passed to the person')
  expect(events.filter((e) => e.event.type === 'reply.completed')).toHaveLength(1)
  expect(h.emu.requests.length).toBe(calls)
})
