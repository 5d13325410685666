// The conversation actor: one per conversation, one message at a time. It owns the turn: persist the
// customer's words, get a reply through the supervisor, record it once, publish it once.
import type { ActorInstance, Handlers, MailOutcome, Message, MessageKind } from '../protocol.ts'
import type { ErrorInfo } from '../../lib/errors.ts'
import {
  conversationContext, DEFAULT_HISTORY_LIMIT, historyOf, remember, type ConversationContext, type ConversationDeps, type ConversationState,
} from './state.ts'
import { rereadContext } from './handoff.ts'
import { runTurn } from './turn.ts'
import { handleApproval } from './approval.ts'
import { inTranscriptOrder } from './transcript-order.ts'

/** Mail that reaches a conversation after its customer was erased is dropped, and removed from the queue. */
const unlessErased = <M extends Message>(handle: (msg: M, ctx: ConversationContext) => Promise<void>) =>
  async (msg: M, ctx: ConversationContext): Promise<MailOutcome> => {
    if (await ctx.deps.storage.conversations.isErased(ctx.state.conversationId)) return 'forget'
    await handle(msg, ctx)
    return 'done'
  }

const handlers: Handlers<MessageKind, ConversationContext> = {
  // A turn learns about erasure from its first write (turnSteps.begin), without a query of its own.
  'turn.received': (msg, ctx) => inTranscriptOrder(msg, ctx, (m) => runTurn(m, ctx)),
  'outreach.triggered': unlessErased(async (msg, { state, deps }) => {
    await deps.storage.sessions.append([{ id: msg.id, conversationId: state.conversationId, role: 'assistant', text: msg.payload.text }])
    remember(state, msg.id, { role: 'assistant', text: msg.payload.text }, deps)
    await deps.storage.events.publish({
      id: msg.id, type: 'reply.completed', conversationId: state.conversationId, at: deps.clock.now(),
      data: { messageId: msg.id, text: msg.payload.text, campaign: msg.payload.campaign },
    })
  }),
  'context.changed': unlessErased(async (_msg, ctx) => rereadContext(ctx)),
  'approval.decided': unlessErased(async (msg, ctx) => void (await handleApproval(msg, ctx))),
  'conversation.close': unlessErased(async (msg, { state, deps }) => {
    await deps.storage.conversations.setStatus(state.conversationId, 'closed')
    await deps.storage.events.publish({
      id: msg.id, type: 'conversation.closed', conversationId: state.conversationId, at: deps.clock.now(),
      data: { reason: msg.payload.reason },
    })
  }),
}

/**
 * Activation: loads the recent context (hot → warm → cold, re-warming); a new conversation of a known
 * customer starts with their recent messages from other channels. Passivation simply drops the instance.
 */
export async function activateConversation(conversationId: string, deps: ConversationDeps): Promise<ActorInstance> {
  const limit = deps.historyLimit ?? DEFAULT_HISTORY_LIMIT
  const [conversation, session] = await Promise.all([
    deps.storage.conversations.get(conversationId),
    deps.storage.sessions.load(conversationId, { limit }),
  ])
  const customerId = conversation?.customerId ?? undefined
  // A claimed identity (an email a widget sent) is not proof: only a verified one brings the customer's history.
  const earlier = customerId && conversation?.identityVerified && session.messages.length <= 1
    ? await deps.storage.sessions.related(customerId, { excludeConversationId: conversationId, limit })
    : []
  const context = [...earlier, ...session.messages]
  const state: ConversationState = {
    conversationId,
    agent: conversation?.agent ?? 'demo',
    route: { tenantId: conversation?.tenantId ?? 'default', channel: conversation?.channel ?? 'chat', ...(customerId ? { customerId } : {}) },
    stored: conversation !== undefined,
    doubleTexting: conversation?.doubleTexting ?? 'queue',
    ...(await historyOf(context, deps)),
  }
  const ctx = conversationContext(state, deps)
  return {
    handle: (msg: Message) => dispatch(msg, ctx),
    giveUp: (msg: Message, error: ErrorInfo) => giveUp(msg, error, ctx),
  }
}

function dispatch(msg: Message, ctx: ConversationContext): Promise<MailOutcome> {
  const handler = handlers[msg.kind] as (m: Message, c: ConversationContext) => Promise<MailOutcome>
  return handler(msg, ctx)
}

async function giveUp(msg: Message, error: ErrorInfo, ctx: ConversationContext): Promise<void> {
  ctx.deps.log.error('giving up on message', { conversationId: msg.conversationId, kind: msg.kind, error })
  if (msg.kind !== 'turn.received') return
  await inTranscriptOrder(msg, ctx, (m) => runTurn(m, ctx, error))
}
