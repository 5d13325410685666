// The conversation actor's state and dependencies, and the bounded context it keeps between turns.
import type { ChatTurn, RouteInfo } from '../protocol.ts'
import type { Storage } from '../../storage/index.ts'
import type { Clock } from '../../lib/clock.ts'
import type { Logger } from '../../lib/log.ts'
import type { Supervisor } from '../supervisor/supervisor.ts'
import type { RuntimeObserver } from '../observer.ts'
import type { AgentDirectory, AgentRef } from '../agent-directory.ts'
import { turnCheckpoints, type TurnCheckpoints } from '../turn-step.ts'
import { INPUT_GUARD_STEP, WITHHELD_MESSAGE } from '../turn-prompt.ts'

export interface ConversationDeps {
  storage: Pick<Storage, 'messages' | 'turnSteps' | 'events' | 'conversations' | 'sessions' | 'knowledge' | 'outreach'>
  supervisor: Supervisor
  /** The agents of every tenant, by name and version. */
  directory: AgentDirectory
  clock: Clock
  log: Logger
  /** Metrics seam (lib/metrics.ts); NOOP_OBSERVER where nothing is measured. */
  observer: RuntimeObserver
  /** How many recent messages the actor keeps as context. @defaultValue DEFAULT_HISTORY_LIMIT */
  historyLimit?: number
}

/**
 * Messages kept as context, tool calls and results included. A retail task (identify, look up the user and a
 * few orders and products, confirm, write) takes 20 to 40 of them; at 20 the agent lost the customer's request
 * in the middle of carrying it out.
 */
export const DEFAULT_HISTORY_LIMIT = 60

export interface ConversationState {
  conversationId: string
  agent: string
  /** The agent definition the current turn runs: set when the turn begins, absent when the agent is undefined. */
  agentRef?: AgentRef
  /** The AgentPolicy version the current turn runs under: its tool calls are judged by it. */
  policyRef?: { name: string; scope: string; version: number }
  /** Tenant, channel and customer: what routing and budgets need to know. */
  route: RouteInfo
  /** The conversation's row exists (read on activation, or written by a turn): a turn need not create it. */
  stored: boolean
  /** Messages that arrive while a turn runs are answered in order (`queue`) or folded into it (`merge`). */
  doubleTexting: 'queue' | 'merge'
  history: ChatTurn[]
  /** Message ids of `history`, index for index: a redelivered message is never remembered twice. */
  historyIds: string[]
}

export interface ConversationContext {
  state: ConversationState
  deps: ConversationDeps
  /** The checkpoints of the turn in hand: set by `beginSteps` when a turn (or an approval's reply) begins. */
  turn?: TurnCheckpoints
  /** `step(name, fn)` of the turn in hand: fn runs once per turn, ever (see turn-step.ts). */
  step: TurnCheckpoints['step']
  /** `checkpoint(name, fn)` of the turn in hand: a step not worth waiting for its WAL flush (see turn-step.ts). */
  checkpoint: TurnCheckpoints['checkpoint']
}

export function conversationContext(state: ConversationState, deps: ConversationDeps): ConversationContext {
  const ctx: ConversationContext = {
    state,
    deps,
    step: (name: string, run: () => Promise<unknown>, save?: (value: unknown) => Promise<unknown>) => {
      if (!ctx.turn) throw new Error(`step ${name} outside a turn`)
      return save ? ctx.turn.step(name, run, save) : ctx.turn.step(name, run)
    },
    checkpoint: (name: string, run: () => Promise<unknown>) => {
      if (!ctx.turn) throw new Error(`step ${name} outside a turn`)
      return ctx.turn.checkpoint(name, run)
    },
  } as ConversationContext
  return ctx
}

/** The turn `turnId` begins: its steps recorded so far (empty for an approval's reply, which reads none ahead). */
export function beginSteps(ctx: ConversationContext, turnId: string, recorded: Map<string, unknown> = new Map()): TurnCheckpoints {
  ctx.turn = turnCheckpoints(ctx.deps.storage.turnSteps, turnId, recorded)
  return ctx.turn
}

/**
 * The history a window of stored messages stands for, as a live turn remembers it (turn.ts): each reply preceded by
 * the tool calls and results its turn went through, a message a guardrail blocked withheld, cut to the history limit.
 * Without the transcripts a reactivated actor's model would see its own words about data it could no longer see, and
 * the grounding check would not see that data either; with a blocked message's words, the grounding check would take
 * a card number the customer was told not to share as a source the reply may repeat.
 */
export async function historyOf(
  messages: ReadonlyArray<{ id: string; role: ChatTurn['role']; text: string; turnId: string | null }>, deps: WindowDeps,
): Promise<Window> {
  const turns = messages.filter((m) => m.role === 'assistant' && m.turnId !== null).map((m) => m.turnId!)
  const customers = messages.filter((m) => m.role === 'customer').map((m) => m.id)
  const { transcripts, withheld } = await deps.storage.turnSteps.window(turns, customers, INPUT_GUARD_STEP)
  const window: Window = { history: [], historyIds: [] }
  const add = (id: string, turn: ChatTurn) => (window.history.push(turn), window.historyIds.push(id))
  for (const m of messages) {
    const transcript = m.role === 'assistant' && m.turnId !== null ? transcripts.get(m.turnId) : undefined
    transcript?.forEach((t, i) => add(`${m.turnId}.t${i}`, t as ChatTurn))
    add(m.id, { role: m.role, text: withheld.has(m.id) ? WITHHELD_MESSAGE : m.text })
  }
  return keepLimit(window, deps)
}

/**
 * Puts `turn` in the window under `id`. An entry already there (a message loaded on activation, a redelivered turn's)
 * is replaced, not repeated: a turn knows more of its message than the load did, such as that a guardrail blocked it.
 */
export function remember(state: ConversationState, id: string, turn: ChatTurn, deps: WindowDeps): void {
  const at = state.historyIds.indexOf(id)
  if (at >= 0) {
    state.history[at] = turn
    return
  }
  state.history.push(turn)
  state.historyIds.push(id)
  keepLimit(state, deps)
}

type Window = Pick<ConversationState, 'history' | 'historyIds'>
type WindowDeps = { storage: Pick<ConversationDeps['storage'], 'turnSteps'> } & Pick<ConversationDeps, 'historyLimit'>

/** Drops the oldest entries beyond the history limit. */
function keepLimit<W extends Window>(window: W, deps: WindowDeps): W {
  const excess = window.history.length - (deps.historyLimit ?? DEFAULT_HISTORY_LIMIT)
  if (excess > 0) {
    window.history.splice(0, excess)
    window.historyIds.splice(0, excess)
  }
  return window
}
