// One customer turn, checkpointed: each step's result is recorded, and a redelivered turn resumes after the
// last recorded step. The reply and its publication happen exactly once per turn.
import type { ChatTurn, TurnReceived } from '../protocol.ts'
import type { ErrorInfo } from '../../lib/errors.ts'
import { judge, type GuardrailVerdict } from '../../policy/index.ts'
import { runAgentLoop } from './agent-loop.ts'
import { remember, type ConversationContext } from './state.ts'

export const REPLY_STEP = 'reply'
export const INPUT_GUARD_STEP = 'guardrail.input'

/** What the context keeps of a blocked message: the card number must not reach later model calls. */
const WITHHELD = '[message withheld by a guardrail]'

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
  /** Tool calls and results of this turn, kept in the actor's context for the turns that follow. */
  transcript?: ChatTurn[]
}

export async function runTurn(msg: TurnReceived, ctx: ConversationContext, failure?: ErrorInfo): Promise<void> {
  const { state, deps } = ctx
  const turn = { conversationId: state.conversationId, turnId: msg.id }
  const { steps } = await deps.storage.turnSteps.begin({ turnId: msg.id, conversationId: state.conversationId, text: msg.payload.text })
  let reply = steps.get(REPLY_STEP) as RecordedReply | undefined
  if (!reply) {
    const verdict = judge('input', msg.payload.text)
    const seen = verdict.verdict === 'block' ? WITHHELD : msg.payload.text
    remember(state, msg.id, { role: 'customer', text: seen }, deps)
    reply = await recordReply(ctx, msg.id, await produceReply(msg, ctx, { steps, verdict, failure }))
    reply.transcript?.forEach((t, i) => remember(state, `${msg.id}.t${i}`, t, deps))
    remember(state, reply.id, { role: 'assistant', text: reply.text }, deps)
  }
  await deps.storage.events.publish({
    id: reply.id, type: 'reply.completed', conversationId: state.conversationId, at: deps.clock.now(),
    data: { messageId: reply.id, turnId: msg.id, text: reply.text, escalated: reply.escalated },
  })
}

interface TurnInputs {
  steps: Map<string, unknown>
  verdict: GuardrailVerdict
  failure?: ErrorInfo
}

async function produceReply(msg: TurnReceived, ctx: ConversationContext, { steps, verdict, failure }: TurnInputs): Promise<RecordedReply> {
  const id = `${msg.id}.reply`
  if (failure) return escalateTurn(ctx, msg.id, failure)
  if (verdict.verdict !== 'allow') await ctx.deps.storage.turnSteps.record(msg.id, INPUT_GUARD_STEP, verdict)
  if (verdict.verdict === 'block') return { id, text: BLOCKED_REPLY, escalated: false }
  if (verdict.verdict === 'escalate') {
    return escalateTurn(ctx, msg.id, { code: 'guardrail.escalated', message: verdict.reason, retryable: false })
  }
  const outcome = await runAgentLoop(msg, ctx, steps)
  if (outcome.kind === 'reply') return { id, text: outcome.text, escalated: false, transcript: outcome.transcript }
  return { ...(await escalateTurn(ctx, msg.id, outcome.error, outcome.text)), transcript: outcome.transcript }
}

/** Opens the handoff and tells the customer; `text` is the agent's own handoff message when it chose to escalate. */
async function escalateTurn(ctx: ConversationContext, turnId: string, error: ErrorInfo, text?: string): Promise<RecordedReply> {
  const turn = { conversationId: ctx.state.conversationId, turnId }
  const escalation = await ctx.deps.supervisor.escalate(turn, error.code, error.message)
  if (!escalation.ok) ctx.deps.log.error('escalation failed', { ...turn, error: escalation.error })
  return { id: `${turnId}.reply`, text: text || HANDOFF_REPLY, escalated: true }
}

function recordReply(ctx: ConversationContext, turnId: string, reply: RecordedReply): Promise<RecordedReply> {
  return ctx.deps.storage.turnSteps.recordReply(ctx.state.conversationId, turnId, REPLY_STEP, reply)
}
