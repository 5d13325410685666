// The agent loop of one turn: ask the model; run the tools it asks for through the tool pool; repeat until
// it answers, escalates, or runs out of steps. Each model answer and each tool result is a turn step, so a resumed
// turn replays recorded steps instead of calling the model (or the tool pool) again, and the provider actor reads
// the turn's progress from them. Tool side effects carry stable idempotency keys.
import type { ChatTurn, PendingAction, PoolResults, TurnReceived } from '../protocol.ts'
import { isOutage, RetryableError, TerminalError, toErrorInfo, type ErrorInfo } from '../../lib/errors.ts'
import type { RunnableAgent } from '../agent-directory.ts'
import { vendorsOf } from '../../providers/index.ts'
import type { Outcome } from '../supervisor/supervisor.ts'
import { modelStepName, toolStepName } from '../turn-prompt.ts'
import type { ConversationContext } from './state.ts'
import { handoffRequest } from '../handoff-tool.ts'
import type { ModelCallStep } from '../../storage/index.ts'
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

export async function runAgentLoop(msg: TurnReceived, ctx: ConversationContext, agent: RunnableAgent, revision?: Revision): Promise<LoopOutcome> {
  const { state } = ctx
  const turn = { conversationId: state.conversationId, turnId: msg.id }
  const revise = revision ? { draft: revision.draft, reason: revision.reason } : undefined
  const added: ChatTurn[] = []
  const checks: CheckRecord[] = []
  const done = (o: DistributiveOmit<LoopOutcome, 'checks'>): LoopOutcome => ({ ...o, checks })
  // The vendor is chosen before the hop: the call goes to its provider queue (a scripted test model: `local`'s).
  const routeCtx = { ...state.route, agent: state.agent, conversationId: state.conversationId }
  const vendors = vendorsOf(agent.gateway, routeCtx)
  // References, not words: a queued call's provider actor reads the window's messages and this turn's steps from
  // Postgres. A call made in this process takes them as this actor holds them (`held`), and reads nothing back.
  const context = [...state.historyIds]
  const history = [...state.history]
  for (let i = 1; i <= MAX_MODEL_STEPS; i++) {
    const step = modelStepName(i, revision !== undefined)
    const request = { step, agent: state.agent, agentRef: state.agentRef, context, route: state.route, vendors, ...(revise ? { revise } : {}) }
    // The provider actor records the step together with its provider call (in this process, an answer that asks for no
    // tool is held for the reply's statement instead): kept here as it comes back.
    const recordWithReply = (record: ModelCallStep) => ctx.turn!.holdForReply(record)
    const outcome = await ctx.step(step, async () => succeeded(await ctx.deps.supervisor.complete(turn, request, { recordWithReply, held: { history, steps: ctx.turn!.steps() } })), async (r: ModelResult) => r)
      .then((value) => ({ ok: true, value }) as const, (e: unknown) => ({ ok: false, error: toErrorInfo(e) }) as const)
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
      // Recorded as a step: a resumed turn does not ask again, and the provider actor reads it (see turn-prompt.ts).
      const ran = await ctx.step(toolStepName(step, call.id), () => runTool(ctx, turn, call))
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

/** A failed model step is not recorded: its error comes back as the step's rejection, with its code. */
function succeeded(outcome: Outcome<ModelResult>): ModelResult {
  if (outcome.ok) return outcome.value
  const { code, message, retryable, retryAfterMs } = outcome.error
  throw retryable ? new RetryableError(code, message, retryAfterMs) : new TerminalError(code, message)
}

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
