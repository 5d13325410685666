// People in the loop. While humans are in charge of a conversation (an escalation not yet handed back), the AI
// agent stays silent: each customer message goes to the human, live on the conversation's stream. Whatever people
// write outside the actor (a human agent's message, a sent draft, a hand-back) is followed by `context.changed`
// mail, so the agent reads the conversation again and knows what was actually said.
import type { MailOutcome, TurnReceived } from '../protocol.ts'
import { PASSED_STEP, type StoredMessage } from '../../storage/index.ts'
import { DEFAULT_HISTORY_LIMIT, historyOf, remember, type ConversationContext } from './state.ts'

/** The customer's message, stored already, goes to the human in charge; the model is not asked. */
export async function passToHuman(msg: TurnReceived, stored: StoredMessage | undefined, ctx: ConversationContext): Promise<MailOutcome> {
  const { state, deps } = ctx
  remember(state, msg.id, { role: 'customer', text: msg.payload.text }, deps)
  await deps.storage.events.publish({
    id: msg.id, type: 'message.received', conversationId: state.conversationId, at: deps.clock.now(),
    data: { messageId: msg.id, text: msg.payload.text },
  })
  // Owed nothing more by the agent: later turns do not take it for mail that went missing (transcript-order.ts). A
  // durable write, so the message the turn's first statement stored is durable before the hot tier holds it.
  await ctx.step(PASSED_STEP, async () => ({ to: 'human' }))
  await deps.storage.sessions.cacheWritten(state.conversationId, [stored ?? msg.id])
    .catch((e: Error) => deps.log.warn('hot session write-through failed', { conversationId: state.conversationId, error: e }))
  return 'done'
}

/** Reads the context again from warm storage: the hot tier holds only what this actor wrote through. */
export async function rereadContext({ state, deps }: ConversationContext): Promise<void> {
  await deps.storage.sessions.evict([state.conversationId])
  const { messages } = await deps.storage.sessions.load(state.conversationId, { limit: deps.historyLimit ?? DEFAULT_HISTORY_LIMIT })
  Object.assign(state, await historyOf(messages, deps))
}
