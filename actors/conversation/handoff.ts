// People in the loop. While humans are in charge of a conversation (an escalation not yet handed back), the AI
// agent stays silent: each customer message goes to the human, live on the conversation's stream. Once handed
// back, or when a person decides on its drafts (assist mode), the agent reads the conversation again, so it knows
// what was actually said.
import type { MailOutcome, TurnReceived } from '../protocol.ts'
import type { StoredMessage } from '../../storage/index.ts'
import { remember, type ConversationContext } from './state.ts'

/** The customer's message, stored already, goes to the human in charge; the model is not asked. */
export async function passToHuman(msg: TurnReceived, stored: StoredMessage | undefined, { state, deps }: ConversationContext): Promise<MailOutcome> {
  state.withHuman = true
  remember(state, msg.id, { role: 'customer', text: msg.payload.text }, deps)
  await deps.storage.events.publish({
    id: msg.id, type: 'message.received', conversationId: state.conversationId, at: deps.clock.now(),
    data: { messageId: msg.id, text: msg.payload.text },
  })
  await deps.storage.sessions.cacheWritten(state.conversationId, [stored ?? msg.id])
    .catch((e: Error) => deps.log.warn('hot session write-through failed', { conversationId: state.conversationId, error: e }))
  return 'done'
}

/** Handed back: the context is read again from storage, where the human agent's messages were written. */
export async function rejoin(ctx: ConversationContext): Promise<void> {
  await rereadContext(ctx)
  ctx.state.withHuman = false
}

/**
 * Reads the context again from warm storage: people wrote to the conversation outside this actor (a human agent's
 * messages, or assist-mode drafts sent as edited). The hot tier holds only what this actor wrote through.
 */
export async function rereadContext({ state, deps }: ConversationContext): Promise<void> {
  await deps.storage.sessions.evict([state.conversationId])
  const { messages } = await deps.storage.sessions.load(state.conversationId, { limit: deps.historyLimit ?? 20 })
  state.history = messages.map((m) => ({ role: m.role, text: m.text }))
  state.historyIds = messages.map((m) => m.id)
}
