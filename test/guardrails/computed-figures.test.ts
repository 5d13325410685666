// The grounding check on a live turn under the retail demo policy, with a vendor model scripted in the emulator:
// a total the model adds up from the prices a tool returned reaches the customer, while an invented total is asked
// for again and then goes to a person unseen; the customer's own question quoted back to them is no claim of the
// agent's, while a "quotation" the customer never wrote is judged like any other claim; a draft sent back for its tone
// may be revised with the figures the first pass looked up. The Arena's evidence counts the drafts the check held and
// says why a person took over.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import type { EmulatedRequest, Script } from '../../emulator/index.ts'
import { startAgentsHarness, type AgentsHarness } from '../agents/harness.ts'

let h: AgentsHarness
const EMAIL = 'ivan.santos3158@example.com'
// ivan_santos_6635's pending order: Smart Watch $328.67, Digital Camera $2895.55, Skateboard $189.65.
const ORDER = '#W3913498'
const KEPT = 'The Digital Camera and the Skateboard in order #W3913498 cost'

beforeAll(async () => {
  h = await startAgentsHarness()
  await h.put('agents', 'guarded', { instructions: 'You are the retail support agent.', model: { provider: 'openai', model: 'gpt-4o-mini' }, tools: ['retail/*'], policy: 'retail' })
})
afterAll(() => h.close())

const call = (textIncludes: string, name: string, args: Record<string, unknown>): Script =>
  ({ match: { textIncludes }, reply: { toolCalls: [{ name, arguments: args }] } })
const say = (textIncludes: string, text: string): Script => ({ match: { textIncludes }, reply: { text } })
/** Answers the second pass of a turn: the one that carries the refused draft and why it was refused. */
const revised = (text: string): Script => ({ match: (r: EmulatedRequest) => (r.system ?? '').includes('was not sent to the customer'), reply: { text } })
const transcript = async (c: string) => (await h.db.sql<{ text: string }[]>`select text from messages where conversation_id = ${c} order by seq`).map((m) => m.text)
const groundingVerdicts = async (c: string, turn: string) => (await h.call('GET', `/v1/conversations/${c}/turns/${turn}/why`)).body.checks
  .filter((k: { check: string }) => k.check === 'grounding').map((k: { verdict: string }) => k.verdict)
const escalations = async (c: string) => (await h.call('GET', '/v1/escalations')).body.data
  .filter((e: { conversationId: string }) => e.conversationId === c).map((e: { reason: string }) => e.reason)

/** The customer asks what the rest of the order cost; the model looks the order up and answers with `total`. */
function keptItemsTotal(total: string, revision?: string): Script[] {
  return [
    call('besides the smart watch', 'find_user_id_by_email', { email: '[email_1]' }),
    call('ivan_santos_6635', 'get_order_details', { order_id: ORDER }),
    say('5038485381', `${KEPT} ${total} together.`),
    ...(revision ? [revised(`${KEPT} ${revision} together.`)] : []),
  ]
}
const ASK = `I am ${EMAIL}. What did I pay for the items in ${ORDER} besides the smart watch?`

test('a total added up from the prices the tool returned reaches the customer', async () => {
  h.emu.script(...keptItemsTotal('$3085.20'))
  const c = await h.newConversation('guarded')
  const turn = await h.post(c, ASK)
  expect(await h.reply(turn)).toBe(`${KEPT} $3085.20 together.`)
  expect(await groundingVerdicts(c, turn)).toEqual(['allow'])
  const evidence = await h.platform.storage.arenaEvidence.of(c)
  expect([evidence.groundingFailures, evidence.escalated, evidence.handoff]).toEqual([0, false, undefined])
})

test('an invented total is asked for again, then goes to a person, and the customer never sees it', async () => {
  h.emu.script(...keptItemsTotal('$3185.20', '$3185.20'))
  const c = await h.newConversation('guarded')
  const turn = await h.post(c, ASK)
  expect(await h.reply(turn)).not.toContain('$3185.20')
  expect((await transcript(c)).join('\n')).not.toContain('3185')
  expect(await groundingVerdicts(c, turn)).toEqual(['regenerate', 'escalate'])
  expect(await escalations(c)).toEqual(['guardrail.ungrounded'])
  // What the Arena reads of it: both drafts held by the grounding check, and why a person took over.
  const evidence = await h.platform.storage.arenaEvidence.of(c)
  expect(evidence.groundingFailures).toBe(2)
  expect(evidence.handoff).toStartWith('guardrail.ungrounded: the reply was not sent: unsupported: the amount $3185.20')
})

test("the customer's own question quoted back is no claim; a timing put in quotes the customer never wrote is", async () => {
  const quoted = 'You asked: "Is the refund within 3 days?" I can look into it once you share the email address on your account.'
  h.emu.script(say('within 3 days', quoted))
  const c = await h.newConversation('guarded')
  const turn = await h.post(c, 'Is the refund within 3 days? I want to return the garden hose from my order.')
  expect(await h.reply(turn)).toBe(quoted)
  expect(await groundingVerdicts(c, turn)).toEqual(['allow'])
  const grounded = 'I can tell you how refunds work once you share the email address on your account.'
  h.emu.script(say('How long', 'You said: "the refund takes 3 days", so it will reach you by then.'), revised(grounded))
  const other = await h.newConversation('guarded')
  const asked = await h.post(other, 'How long does the refund take for the garden hose I returned?')
  expect(await h.reply(asked)).toBe(grounded)
  expect(await groundingVerdicts(other, asked)).toEqual(['regenerate', 'allow'])
})

test('the catalogue\'s acronyms are no shouting, and a revised draft may state the prices the first pass looked up', async () => {
  const purifiers = 'Air Purifier (medium, HEPA, night mode) costs $492.65 and Air Purifier (large, HEPA, night mode) $547.55.'
  const lookUp = call('HEPA filter', 'get_product_details', { product_id: '3821016478' })
  h.emu.script(lookUp, say('1327854740', purifiers))
  const c = await h.newConversation('guarded')
  const turn = await h.post(c, 'Which air purifiers do you have with a HEPA filter?')
  expect(await h.reply(turn)).toBe(purifiers)
  h.emu.script(lookUp, say('1327854740', `GREAT NEWS! ${purifiers}`), revised(purifiers))
  const other = await h.newConversation('guarded')
  const asked = await h.post(other, 'Which air purifiers do you have with a HEPA filter?')
  expect(await h.reply(asked)).toBe(purifiers)
  const why = (await h.call('GET', `/v1/conversations/${other}/turns/${asked}/why`)).body
  expect(why.checks.filter((k: { check: string }) => k.check === 'brand_voice').map((k: { verdict: string }) => k.verdict)).toEqual(['regenerate', 'allow'])
  expect(await groundingVerdicts(other, asked)).toEqual(['allow', 'allow'])
})
