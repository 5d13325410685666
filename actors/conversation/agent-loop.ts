// The agent loop of one turn: ask the model; run the tools it asks for through the tool pool; repeat until
// it answers, escalates, or runs out of steps. Each model step is checkpointed, so a resumed turn replays
// recorded steps instead of calling the model again, and tool side effects carry stable idempotency keys.
import type { ChatTurn, PendingAction, PoolResults, TurnReceived } from '../protocol.ts'
import { isOutage, RetryableError, type ErrorInfo } from '../../lib/errors.ts'
import type { ConversationContext } from './state.ts'
import { handoffRequest } from '../handoff-tool.ts'
import { screenContext, type CheckRecord } from './guardrails.ts'

/** Model calls one turn may make before it is handed to a human. */
export const MAX_MODEL_STEPS = 6

export type LoopOutcome = (
  /** `platform`: the platform's own words (a confirmation or approval request), not the model's. */
  | { kind: 'reply'; text: string; transcript: ChatTurn[]; platform?: boolean }
  | { kind: 'escalate'; error: ErrorInfo; text?: string; transcript: ChatTurn[] }
) & { checks: CheckRecord[] }

/** A second pass over a reply the output checks refused: its model steps are recorded under their own names. */
export interface Revision {
  draft: string
  reason: string
  /** What the first pass already added to the context (its tool calls and results). */
  transcript: ChatTurn[]
}

/** Tool results the model may not read: the context check found instructions aimed at it. */
export const WITHHELD_RESULT = '{"withheld":"this tool result contained instructions aimed at the assistant and was not passed on"}'

type ModelResult = PoolResults['provider.complete']

export async function runAgentLoop(msg: TurnReceived, ctx: ConversationContext, recorded: Map<string, unknown>, revision?: Revision): Promise<LoopOutcome> {
  const { state, deps } = ctx
  const turn = { conversationId: state.conversationId, turnId: msg.id }
  const before = revision?.transcript ?? []
  const revise = revision ? { draft: revision.draft, reason: revision.reason } : undefined
  const added: ChatTurn[] = []
  const checks: CheckRecord[] = []
  const done = (o: DistributiveOmit<LoopOutcome, 'checks'>): LoopOutcome => ({ ...o, checks })
  for (let i = 1; i <= MAX_MODEL_STEPS; i++) {
    const step = revision ? `revise.model.${i}` : `model.${i}`
    const known = recorded.get(step) as ModelResult | undefined
    const history = [...state.history, ...before, ...added]
    const outcome = known
      ? ({ ok: true, value: known } as const)
      : await deps.supervisor.complete(turn, { step, agent: state.agent, agentRef: state.agentRef, history, route: state.route, ...(revise ? { revise } : {}) })
    // An outage is no reason to hand the customer to a human: the host retries the turn once it is over.
    if (!outcome.ok && isOutage(outcome.error)) throw new RetryableError(outcome.error.code, outcome.error.message, outcome.error.retryAfterMs)
    if (!outcome.ok) return done({ kind: 'escalate', error: outcome.error, transcript: added })
    const result = outcome.value
    if (result.escalate) {
      return done({ kind: 'escalate', error: { code: 'agent.escalated', message: result.escalate, retryable: false }, text: result.text, transcript: added })
    }
    const handoff = handoffRequest(result.toolCalls)
    if (handoff) return done({ kind: 'escalate', error: { code: 'agent.escalated', message: handoff, retryable: false }, text: result.text, transcript: added })
    if (result.toolCalls.length === 0) return done({ kind: 'reply', text: result.text, transcript: added })
    added.push({ role: 'assistant', text: result.text, toolCalls: result.toolCalls })
    for (const call of result.toolCalls) {
      const ran = await runTool(ctx, turn, call)
      added.push(ran.turn)
      checks.push(ran.check)
      // The policy holds the action: the turn ends by asking the customer (or telling them a person must approve).
      if (ran.pending) return done({ kind: 'reply', text: pendingText(ran.pending), transcript: added, platform: true })
    }
  }
  const error: ErrorInfo = { code: 'agent.step_limit', message: `no answer after ${MAX_MODEL_STEPS} model steps`, retryable: false }
  return done({ kind: 'escalate', error, transcript: added })
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never

/** The platform's words, whatever model runs: the customer sees exactly what they would agree to. */
export function pendingText(pending: PendingAction): string {
  if (pending.kind === 'confirm') return `Before I go ahead, please confirm: ${pending.summary}. Reply "yes" to confirm.`
  const amount = pending.amountUsd !== undefined ? ` ($${pending.amountUsd.toFixed(2)})` : ''
  return `This needs the approval of a member of our team: ${pending.summary}${amount}. I have sent it to them; you will hear back here.`
}

async function runTool(
  ctx: ConversationContext,
  turn: { conversationId: string; turnId: string },
  call: NonNullable<ChatTurn['toolCalls']>[number],
): Promise<{ turn: ChatTurn; check: CheckRecord; pending?: PendingAction }> {
  const { agentRef, policyRef } = ctx.state
  const outcome = await ctx.deps.supervisor.invokeTool(turn, call, { agentRef, policyRef })
  // A tool failure is information for the model (it may apologise, retry or escalate), never a crash.
  const result = outcome.ok ? outcome.value : ({ ok: false, error: outcome.error } as const)
  const raw = JSON.stringify(result.ok ? result.output : { error: result.error })
  // A tool's data can carry text a third party wrote (a product review, an address line): screened like a passage.
  const screened = screenContext(raw, 'tool')
  const text = screened.allowed ? raw : WITHHELD_RESULT
  const pending = !result.ok && 'pending' in result ? result.pending : undefined
  const turnOut: ChatTurn = { role: 'tool', toolCallId: call.id, name: call.name, text, isError: !result.ok }
  return { turn: turnOut, check: screened.check, ...(pending ? { pending } : {}) }
}
