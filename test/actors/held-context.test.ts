// A model call made in the conversation actor's own process takes its context from the actor instead of reading it
// back from Postgres, as a queued call does. The two must be the same prompt: here every in-process prompt is compared
// with the one the provider actor would have read back by reference for the same window, warm and after a
// reactivation, with a tool call and its result, and with a message a guardrail blocked.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import type { ProviderMessage } from '../../providers/index.ts'
import { DEFAULT_HISTORY_LIMIT, historyOf } from '../../actors/conversation/state.ts'
import { toProviderMessages } from '../../actors/provider/provider-actor.ts'
import { INPUT_GUARD_STEP, turnProgress, windowTurns } from '../../actors/turn-prompt.ts'
import { recordingPrompts, scriptedGateway, startObserved, type ObservedPlatform } from '../observability/harness.ts'

let o: ObservedPlatform
const prompts = new Map<string, ProviderMessage[][]>()

beforeAll(async () => {
  // One active actor: a turn of another conversation passivates the one before.
  o = await startObserved({ gateway: recordingPrompts(scriptedGateway(), prompts) }, { ACTOR_MAX_ACTIVE: '1' })
})
afterAll(() => o.close())

/** The prompt of `step` of turn `turnId` as the provider actor reads it back: the window activation would load then. */
async function promptByReference(conversationId: string, turnId: string, step: string): Promise<ProviderMessage[]> {
  const stored = await o.db.sql<{ id: string; role: 'customer' | 'assistant'; text: string; turnId: string | null }[]>`
    select id, role, text, turn_id as "turnId" from messages
    where conversation_id = ${conversationId} and seq <= (select seq from messages where id = ${turnId}) order by seq`
  const { storage } = o.platform
  const window = await historyOf(stored, { storage, historyLimit: DEFAULT_HISTORY_LIMIT })
  const read = await storage.turnSteps.context(turnId, window.historyIds, INPUT_GUARD_STEP)
  return toProviderMessages([...windowTurns(window.historyIds, read), ...turnProgress(read.steps, step)])
}

test('an in-process model gets the prompt a queued one reads back, warm and after a reactivation', async () => {
  const [warm, moved, other] = [await o.newConversation(), await o.newConversation(), await o.newConversation()]
  // The blocked message comes first: it is the one activation loads, as stored, before its turn judges it.
  const script = ['my card is 4242 4242 4242 4242', 'where is my order?', 'thanks, that helps']
  const turns = new Map<string, string[]>([[warm, []], [moved, []]])
  for (const conversation of [warm, moved]) {
    for (const text of script) {
      const turnId = await o.post(conversation, text)
      await o.waitForReply(turnId)
      turns.get(conversation)!.push(turnId)
      // Only `moved` is passivated between its turns.
      if (conversation === moved) await o.waitForReply(await o.post(other, 'hello'))
    }
  }
  for (const conversation of [warm, moved]) {
    const [, lookup, thanks] = turns.get(conversation)!
    // The lookup turn asks twice (the tool call, then the answer); the blocked message never reaches the model.
    const [asked, answered, thanked] = prompts.get(conversation)!
    expect(prompts.get(conversation)).toHaveLength(3)
    expect(asked).toEqual(await promptByReference(conversation, lookup!, 'model.1'))
    expect(answered).toEqual(await promptByReference(conversation, lookup!, 'model.2'))
    expect(thanked).toEqual(await promptByReference(conversation, thanks!, 'model.1'))
    expect(thanked!.map((m) => m.role)).toEqual(['user', 'assistant', 'user', 'assistant', 'tool', 'assistant', 'user'])
    expect(thanked![0]!.content).not.toContain('4242')
  }
})
