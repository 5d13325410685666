// The agent's topic boundaries, applied before any model is asked: a new request of a type the policy keeps out
// is declined with the policy's message, escalated to a person, or handed to another agent. Answers to the
// agent's own questions are never judged. The decision is a turn step, so a redelivered turn repeats it.
import { isNewRequest } from '../../policy/index.ts'
import type { TurnReceived } from '../protocol.ts'
import type { ConversationContext } from './state.ts'

export const TOPIC_STEP = 'policy.topic'

export interface TopicDecision {
  action: 'decline' | 'escalate' | 'handoff'
  rule: string
  policy: string
  version: string
  intent: string
  message?: string
  agent?: string
}

/** What the customer last saw from the agent or a person, before this message. */
function lastShown(ctx: ConversationContext, msg: TurnReceived): string | undefined {
  const before = ctx.state.history.slice(0, Math.max(0, ctx.state.historyIds.indexOf(msg.id)))
  return before.findLast((t) => t.role === 'assistant' || t.role === 'human_agent')?.text
}

/** Whether the message opens a request, rather than answering the agent's own question. */
export function opensRequest(msg: TurnReceived, ctx: ConversationContext): boolean {
  return isNewRequest(msg.payload.text, lastShown(ctx, msg))
}

/** The topic decision of this turn, or undefined when the agent handles the request itself. */
export async function topicBoundary(msg: TurnReceived, ctx: ConversationContext): Promise<TopicDecision | undefined> {
  // Only a decision is recorded (most turns have none): a redelivered turn repeats it even if the policy changed since.
  const recorded = ctx.turn?.recorded<TopicDecision>(TOPIC_STEP)
  if (recorded) return recorded
  const { state, deps } = ctx
  const intent = state.route.intent
  if (!intent || !state.agentRef || !opensRequest(msg, ctx)) return undefined
  const agent = await deps.directory.resolve(state.route.tenantId, state.agent, state.agentRef)
  const policy = await agent?.policyIn(state.route.tenantId)
  const topic = policy?.topic(intent)
  if (!policy || !topic) return undefined
  const decision: TopicDecision = { ...topic, policy: policy.name, version: policy.version, intent }
  return ctx.checkpoint(TOPIC_STEP, async () => decision)
}

/** Hands the conversation to the agent the policy names, for this turn and the ones after it. */
export async function handOffTo(agentName: string, ctx: ConversationContext): Promise<boolean> {
  const { state, deps } = ctx
  const next = await deps.directory.resolve(state.route.tenantId, agentName)
  if (!next) return false
  await deps.storage.conversations.setAgent(state.conversationId, agentName)
  state.agent = agentName
  state.agentRef = next.ref
  return true
}
