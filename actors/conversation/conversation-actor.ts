// The conversation actor: one per conversation, one message at a time. It owns the turn: persist the
// customer's words, get a reply through the supervisor, record it once, publish it once.
import type { ActorInstance, ChatTurn, Handlers, Message, MessageKind, RouteInfo } from '../protocol.ts'
import type { Storage } from '../../storage/index.ts'
import type { Clock } from '../../lib/clock.ts'
import type { ErrorInfo } from '../../lib/errors.ts'
import type { Logger } from '../../lib/log.ts'
import type { Supervisor } from '../supervisor/supervisor.ts'
import { runTurn } from './turn.ts'

export interface ConversationDeps {
  storage: Pick<Storage, 'messages' | 'turnSteps' | 'events' | 'conversations'>
  supervisor: Supervisor
  clock: Clock
  log: Logger
  /** How many recent messages the actor keeps as context. @defaultValue 20 */
  historyLimit?: number
}

export interface ConversationState {
  conversationId: string
  agent: string
  /** Tenant, channel and customer: what routing and budgets need to know. */
  route: RouteInfo
  history: ChatTurn[]
  /** Message ids of `history`, index for index: a redelivered message is never remembered twice. */
  historyIds: string[]
}

export interface ConversationContext {
  state: ConversationState
  deps: ConversationDeps
}

const handlers: Handlers<MessageKind, ConversationContext> = {
  'turn.received': (msg, ctx) => runTurn(msg, ctx),
  'outreach.triggered': async (msg, { state, deps }) => {
    await deps.storage.messages.append({ id: msg.id, conversationId: state.conversationId, role: 'assistant', text: msg.payload.text })
    remember(state, msg.id, { role: 'assistant', text: msg.payload.text }, deps)
    await deps.storage.events.publish({
      id: msg.id, type: 'reply.completed', conversationId: state.conversationId, at: deps.clock.now(),
      data: { messageId: msg.id, text: msg.payload.text, campaign: msg.payload.campaign },
    })
  },
  'conversation.close': async (msg, { state, deps }) => {
    await deps.storage.conversations.setStatus(state.conversationId, 'closed')
    await deps.storage.events.publish({
      id: msg.id, type: 'conversation.closed', conversationId: state.conversationId, at: deps.clock.now(),
      data: { reason: msg.payload.reason },
    })
  },
}

export function remember(state: ConversationState, id: string, turn: ChatTurn, deps: ConversationDeps): void {
  if (state.historyIds.includes(id)) return
  state.history.push(turn)
  state.historyIds.push(id)
  const excess = state.history.length - (deps.historyLimit ?? 20)
  if (excess > 0) {
    state.history.splice(0, excess)
    state.historyIds.splice(0, excess)
  }
}

/** Activation: loads the recent context from storage; passivation simply drops the instance. */
export async function activateConversation(conversationId: string, deps: ConversationDeps): Promise<ActorInstance> {
  const [conversation, recent] = await Promise.all([
    deps.storage.conversations.get(conversationId),
    deps.storage.messages.recent(conversationId, deps.historyLimit ?? 20),
  ])
  const state: ConversationState = {
    conversationId,
    agent: conversation?.agent ?? 'demo',
    route: {
      tenantId: conversation?.tenantId ?? 'default',
      channel: conversation?.channel ?? 'chat',
      ...(conversation?.customerId ? { customerId: conversation.customerId } : {}),
    },
    history: recent.map((m) => ({ role: m.role, text: m.text })),
    historyIds: recent.map((m) => m.id),
  }
  const ctx: ConversationContext = { state, deps }
  return {
    handle: (msg: Message) => dispatch(msg, ctx),
    giveUp: (msg: Message, error: ErrorInfo) => giveUp(msg, error, ctx),
  }
}

function dispatch(msg: Message, ctx: ConversationContext): Promise<void> {
  const handler = handlers[msg.kind] as (m: Message, c: ConversationContext) => Promise<void>
  return handler(msg, ctx)
}

async function giveUp(msg: Message, error: ErrorInfo, ctx: ConversationContext): Promise<void> {
  ctx.deps.log.error('giving up on message', { conversationId: msg.conversationId, kind: msg.kind, error })
  if (msg.kind !== 'turn.received') return
  await runTurn(msg, ctx, error)
}
