// A conversation whose actor was passivated between its turns gives the model the same context as one whose actor
// stayed active: an earlier turn's tool call and its result stay in the window, not only the reply that followed them.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import type { ModelGateway, ProviderMessage } from '../../providers/index.ts'
import { scriptedGateway, startObserved, type ObservedPlatform } from '../observability/harness.ts'

let o: ObservedPlatform
const prompts = new Map<string, ProviderMessage[][]>()

beforeAll(async () => {
  const scripted = scriptedGateway()
  const recording: ModelGateway = {
    complete: (req, ctx) => {
      const id = String(ctx?.conversationId)
      prompts.set(id, [...(prompts.get(id) ?? []), structuredClone(req.messages)])
      return scripted.complete(req, ctx)
    },
  }
  // One active actor: a turn of another conversation passivates the one before.
  o = await startObserved({ gateway: recording }, { ACTOR_MAX_ACTIVE: '1' })
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
