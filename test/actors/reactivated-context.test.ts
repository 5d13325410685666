// A conversation whose actor was passivated between its turns gives the model the same context as one whose actor
// stayed active: an earlier turn's tool call and its result stay in the window, not only the reply that followed them,
// and a message a guardrail blocked stays withheld, from the model and from the checks on its replies alike.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import type { ModelGateway, ProviderMessage } from '../../providers/index.ts'
import { HANDOFF_REPLY } from '../../actors/conversation/turn.ts'
import { recordingPrompts, scriptedGateway, scriptedResponse, startObserved, type ObservedPlatform } from '../observability/harness.ts'

let o: ObservedPlatform
const prompts = new Map<string, ProviderMessage[][]>()
// A model that repeats what only a blocked message said: the number the customer was told not to share with it.
const ASKS_BACK = 'what is the status of the order I mentioned?'
const REPEATED = 'That was order #W7654321.'

beforeAll(async () => {
  const scripted = scriptedGateway()
  const model: ModelGateway = {
    complete: (req, ctx) => req.messages.at(-1)?.content === ASKS_BACK
      ? Promise.resolve({ response: scriptedResponse(REPEATED), costUsd: 0, path: ['scripted:scripted-small'] })
      : scripted.complete(req, ctx),
  }
  // One active actor: a turn of another conversation passivates the one before.
  o = await startObserved({ gateway: recordingPrompts(model, prompts) }, { ACTOR_MAX_ACTIVE: '1' })
})
afterAll(() => o.close())

const say = async (conversation: string, text: string) => o.waitForReply(await o.post(conversation, text))

test("after a reactivation the model still sees an earlier turn's tool call and result", async () => {
  const [stayed, moved, other] = [await o.newConversation(), await o.newConversation(), await o.newConversation()]
  await say(stayed, 'where is my order?')
  await say(stayed, 'thanks, that helps')
  await say(moved, 'where is my order?')
  await say(other, 'hello')
  await say(moved, 'thanks, that helps')

  const warm = prompts.get(stayed)!.at(-1)!
  const reactivated = prompts.get(moved)!.at(-1)!
  expect(warm.map((m) => m.role)).toEqual(['user', 'assistant', 'tool', 'assistant', 'user'])
  expect(warm[2]!.content).toContain('shipped')
  // The same window: the tool call ids differ by nothing, the texts by nothing.
  expect(reactivated).toEqual(warm)
})

test('after a reactivation a blocked message is still no source a reply may repeat', async () => {
  const blocked = 'my card is 4242 4242 4242 4242, it is for order #W7654321'
  const [stayed, moved, other] = [await o.newConversation(), await o.newConversation(), await o.newConversation()]
  await say(stayed, blocked)
  await say(stayed, ASKS_BACK)
  await say(moved, blocked)
  await say(other, 'hello')
  await say(moved, ASKS_BACK)

  const replies = async (conversation: string) => (await o.db.sql<{ text: string }[]>`select text from messages
    where conversation_id = ${conversation} and role = 'assistant' order by seq`).map((r) => r.text)
  // The order number was only in the blocked message, which the grounding check does not count as the customer's
  // words: the reply that repeats it is not sent, and a person takes over.
  for (const conversation of [stayed, moved]) {
    const [, answer] = await replies(conversation)
    expect(answer).toStartWith(HANDOFF_REPLY)
    expect(answer).not.toContain('W7654321')
  }
  expect(prompts.get(moved)!.at(-1)).toEqual(prompts.get(stayed)!.at(-1))
})
