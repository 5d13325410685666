// The supervisor routes a conversation's work to the pools and turns their final failures into data,
// so the conversation actor can always answer the customer (honestly) instead of going silent.
import type { CallOptions, PoolClient, PoolResults, RouteInfo, ToolCallRef } from '../protocol.ts'
import type { AgentRef } from '../agent-directory.ts'
import { fallsBack, type VendorRoute } from '../../providers/index.ts'
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
  /** The ids of the messages in the actor's context window: the provider actor reads their words from Postgres. */
  context: string[]
  route: RouteInfo
  /** The vendors the routing policy chose, in fallback order; each is asked on its own queue. */
  vendors: VendorRoute[]
}

/** How long a model step may take, fallbacks included: the jobs' deadline, after which none of them retries. */
export const MODEL_STEP_TIMEOUT_MS = 60_000


/** The agent and policy versions a tool call is judged under. */
export interface ToolVersions {
  agentRef?: AgentRef
  policyRef?: { name: string; scope: string; version: number }
}

export interface Supervisor {
  complete(turn: TurnRef, request: ModelStep, options?: Pick<CallOptions, 'recordWithReply' | 'held'>): Promise<Outcome<PoolResults['provider.complete']>>
  /** A tool call; its id (turn + call id) is the idempotency key of any side effect. `versions`: what the turn runs under. */
  invokeTool(turn: TurnRef, call: ToolCallRef, versions?: ToolVersions): Promise<Outcome<PoolResults['tool.invoke']>>
  escalate(turn: TurnRef, reason: string, detail?: string): Promise<Outcome<PoolResults['escalation.open']>>
}

export function createSupervisor(pools: PoolClient, clock: Clock, options: { modelStepTimeoutMs?: number } = {}): Supervisor {
  const stepTimeoutMs = options.modelStepTimeoutMs ?? MODEL_STEP_TIMEOUT_MS
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
    /**
     * Fallback across vendors is a new job on the next vendor's queue: each job retries only on its own vendor, and
     * only while its deadline (the caller's, in wall-clock time) allows; the first vendor's job keeps the step's id.
     */
    async complete(turn, { step, agent, agentRef, revise, context, route, vendors }, options = {}) {
      const deadline = Date.now() + stepTimeoutMs
      const tried: string[] = []
      let outcome: Outcome<PoolResults['provider.complete']> | undefined
      for (const [i, { vendor, path }] of vendors.entries()) {
        const id = i === 0 ? `${turn.turnId}.${step}` : `${turn.turnId}.${step}.${vendor}`
        const payload = {
          turnId: turn.turnId, step, agent, route, vendor, context, deadline,
          ...(tried.length > 0 ? { tried: [...tried] } : {}), ...(agentRef ? { agentRef } : {}), ...(revise ? { revise } : {}),
        }
        outcome = await attempt(() => pools.call({ ...envelope(id, turn), kind: 'provider.complete', payload }, { ...options, timeoutMs: Math.max(1, deadline - Date.now()) }))
        if (outcome.ok || !fallsBack(outcome.error.code)) return outcome
        tried.push(...path)
      }
      return outcome ?? { ok: false, error: { code: 'provider.not_routed', message: 'the routing policy chose no vendor', retryable: false } }
    },
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
