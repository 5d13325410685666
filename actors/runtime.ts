// Composition of the actor side: the conversation actor factory and the handlers of every pool.
import type { ActorFactory, Mailbox, PoolClient, PoolHandlers } from './protocol.ts'
import { classify } from '../providers/index.ts'
import type { Storage } from '../storage/index.ts'
import type { Clock } from '../lib/clock.ts'
import type { Logger } from '../lib/log.ts'
import { activateConversation } from './conversation/conversation-actor.ts'
import { createEscalationHandler } from './escalation/escalation-actor.ts'
import { createOutreachHandler } from './outreach/outreach-actor.ts'
import { createDeliverer } from './outreach/deliverer.ts'
import { createProviderHandler } from './provider/provider-actor.ts'
import type { AgentDirectory } from './agent-directory.ts'
import { NOOP_OBSERVER, type RuntimeObserver } from './observer.ts'
import { createSupervisor } from './supervisor/supervisor.ts'
import { createToolHandler, type ToolExecutor } from './tool/tool-actor.ts'

export interface RuntimeDeps {
  storage: Storage
  pools: PoolClient
  mailbox: Mailbox
  tools: ToolExecutor
  /** The agents every tenant defined: conversations name theirs. */
  directory: AgentDirectory
  clock: Clock
  log: Logger
  /** Where turns, model calls, verdicts and escalations are counted. @defaultValue NOOP_OBSERVER */
  observer?: RuntimeObserver
  /** Record prompts and responses (PII-redacted) on model-call spans. @defaultValue false */
  captureContent?: boolean
}

export function createConversationFactory(deps: RuntimeDeps): ActorFactory {
  const supervisor = createSupervisor(deps.pools, deps.clock)
  const observer = deps.observer ?? NOOP_OBSERVER
  return (conversationId) => activateConversation(conversationId, { ...deps, supervisor, observer })
}

/** The pool handlers. Guardrail checks are pure and fast, so they run in the conversation's process: no pool, no hop. */
export function createPoolHandlers(deps: RuntimeDeps): PoolHandlers {
  const observer = deps.observer ?? NOOP_OBSERVER
  return {
    'provider.complete': createProviderHandler({ ...deps, observer, captureContent: deps.captureContent ?? false }),
    'tool.invoke': createToolHandler(deps.tools),
    'escalation.open': createEscalationHandler({ storage: deps.storage, clock: deps.clock, classify }),
    'outreach.send': createOutreachHandler(deps.mailbox, deps.clock, createDeliverer({ ...deps, observer })),
  }
}
