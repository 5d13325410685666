// The supervisor routes a conversation's work to the pools and turns their final failures into data,
// so the conversation actor can always answer the customer (honestly) instead of going silent.
import type { ChatTurn, PoolClient, PoolResults, RouteInfo, ToolCallRef } from '../protocol.ts'
import type { AgentRef } from '../agent-directory.ts'
import { toErrorInfo, type ErrorInfo } from '../../lib/errors.ts'
import type { Clock } from '../../lib/clock.ts'

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: ErrorInfo }

export interface TurnRef {
  conversationId: string
  turnId: string
}

export interface ModelStep {
  step: string
  agent: string
  agentRef?: AgentRef
  revise?: { draft: string; reason: string }
  history: ChatTurn[]
  route: RouteInfo
}

/** The agent and policy versions a tool call is judged under. */
export interface ToolVersions {
  agentRef?: AgentRef
  policyRef?: { name: string; scope: string; version: number }
}

export interface Supervisor {
  complete(turn: TurnRef, request: ModelStep): Promise<Outcome<PoolResults['provider.complete']>>
  /** A tool call; its id (turn + call id) is the idempotency key of any side effect. `versions`: what the turn runs under. */
  invokeTool(turn: TurnRef, call: ToolCallRef, versions?: ToolVersions): Promise<Outcome<PoolResults['tool.invoke']>>
  escalate(turn: TurnRef, reason: string, detail?: string): Promise<Outcome<PoolResults['escalation.open']>>
}

export function createSupervisor(pools: PoolClient, clock: Clock): Supervisor {
  const envelope = (id: string, turn: TurnRef) => ({
    v: 1 as const, id, conversationId: turn.conversationId, causationId: turn.turnId, sentAt: clock.now(),
  })
  const attempt = async <T>(work: () => Promise<T>): Promise<Outcome<T>> => {
    try {
      return { ok: true, value: await work() }
    } catch (e) {
      return { ok: false, error: toErrorInfo(e) }
    }
  }
  return {
    complete: (turn, { step, agent, agentRef, revise, history, route }) =>
      attempt(() => pools.call({
        ...envelope(`${turn.turnId}.${step}`, turn), kind: 'provider.complete',
        payload: { turnId: turn.turnId, step, agent, history, route, ...(agentRef ? { agentRef } : {}), ...(revise ? { revise } : {}) },
      })),
    invokeTool: (turn, call, versions = {}) =>
      attempt(() => pools.call({
        ...envelope(`${turn.turnId}.tool.${call.id}`, turn), kind: 'tool.invoke',
        payload: {
          turnId: turn.turnId, tool: call.name, args: call.arguments,
          ...(versions.agentRef ? { agentRef: versions.agentRef } : {}), ...(versions.policyRef ? { policyRef: versions.policyRef } : {}),
        },
      })),
    escalate: (turn, reason, detail) =>
      attempt(() => pools.call({
        ...envelope(`${turn.turnId}.escalation`, turn), kind: 'escalation.open',
        payload: { turnId: turn.turnId, reason, detail },
      })),
  }
}
