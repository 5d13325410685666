// One customer turn, checkpointed: each step's result is recorded, and a redelivered turn resumes after the
// last recorded step. The reply and its publication happen exactly once per turn.
import type { TurnReceived } from '../protocol.ts'
import type { ErrorInfo } from '../../lib/errors.ts'
import { judge } from '../../policy/index.ts'
import { remember, type ConversationContext } from './conversation-actor.ts'

export const REPLY_STEP = 'reply'
export const MODEL_STEP = 'model.1'
export const INPUT_GUARD_STEP = 'guardrail.input'

/** The reply to a message a guardrail blocked: it never reaches the model. */
export const BLOCKED_REPLY =
  "For your security, please don't share payment card numbers in this chat. I can help you without them."

/** What the customer hears when the platform cannot answer: the truth, and that a human will follow up. */
export const HANDOFF_REPLY =
  "I'm sorry, I can't complete this right now. I've passed our conversation to a member of the support team, who will follow up here."

interface RecordedReply {
  id: string
  text: string
  escalated: boolean
}

export async function runTurn(msg: TurnReceived, ctx: ConversationContext, failure?: ErrorInfo): Promise<void> {
  const { state, deps } = ctx
  const turn = { conversationId: state.conversationId, turnId: msg.id }
  const { steps } = await deps.storage.turnSteps.begin({ turnId: msg.id, conversationId: state.conversationId, text: msg.payload.text })
  let reply = steps.get(REPLY_STEP) as RecordedReply | undefined
  if (!reply) {
    remember(state, msg.id, { role: 'customer', text: msg.payload.text }, deps)
    reply = await recordReply(ctx, msg.id, await produceReply(msg, ctx, failure))
    remember(state, reply.id, { role: 'assistant', text: reply.text }, deps)
  }
  await deps.storage.events.publish({
    id: reply.id, type: 'reply.completed', conversationId: state.conversationId, at: deps.clock.now(),
    data: { messageId: reply.id, turnId: msg.id, text: reply.text, escalated: reply.escalated },
  })
}

async function produceReply(msg: TurnReceived, ctx: ConversationContext, failure?: ErrorInfo): Promise<RecordedReply> {
  const { state, deps } = ctx
  const id = `${msg.id}.reply`
  if (failure) return escalateTurn(ctx, msg.id, failure)
  const verdict = judge('input', msg.payload.text)
  if (verdict.verdict !== 'allow') await deps.storage.turnSteps.record(msg.id, INPUT_GUARD_STEP, verdict)
  if (verdict.verdict === 'block') return { id, text: BLOCKED_REPLY, escalated: false }
  if (verdict.verdict === 'escalate') {
    return escalateTurn(ctx, msg.id, { code: 'guardrail.escalated', message: verdict.reason, retryable: false })
  }
  const turn = { conversationId: state.conversationId, turnId: msg.id }
  const outcome = await deps.supervisor.complete(turn, MODEL_STEP, state.agent, state.history)
  return outcome.ok ? { id, text: outcome.value.text, escalated: false } : escalateTurn(ctx, msg.id, outcome.error)
}

async function escalateTurn(ctx: ConversationContext, turnId: string, error: ErrorInfo): Promise<RecordedReply> {
  const turn = { conversationId: ctx.state.conversationId, turnId }
  const escalation = await ctx.deps.supervisor.escalate(turn, error.code, error.message)
  if (!escalation.ok) ctx.deps.log.error('escalation failed', { ...turn, error: escalation.error })
  return { id: `${turnId}.reply`, text: HANDOFF_REPLY, escalated: true }
}

function recordReply(ctx: ConversationContext, turnId: string, reply: RecordedReply): Promise<RecordedReply> {
  return ctx.deps.storage.turnSteps.recordReply(ctx.state.conversationId, turnId, REPLY_STEP, reply)
}
