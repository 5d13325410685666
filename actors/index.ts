// Conversation actors, the supervisor and the pool actors. Never imports queues/ or elysia.
export { createConversationFactory, createPoolHandlers, type RuntimeDeps } from './runtime.ts'
/**
 * Proactive outreach on a worker: runs campaign occurrences exactly once per customer, fires cron campaigns,
 * turns order events into runs.
 * @example const outreach = startOutreachService({ storage, mailbox, pools, queues, clock, log })
 */
export { startOutreachService, type OutreachService, type OutreachServiceDeps, type OutreachServiceOptions } from './outreach/outreach-service.ts'
export type { OutreachQueues, ScheduledCampaign } from './outreach/triggers.ts'
export { audienceOf, type RunOutcome } from './outreach/campaign-runner.ts'
export type { ToolExecutor } from './tool/tool-actor.ts'
export type { AgentDirectory, AgentRef, OfferedTools, RunnableAgent, RunnablePolicy, TurnVariables } from './agent-directory.ts'
export { HANDOFF_REPLY, BLOCKED_REPLY } from './conversation/turn.ts'
/**
 * The SLA clocks of handoffs: breach events and holding messages, swept on a timer.
 * @example const timer = startSlaTimer({ storage, clock, log, onBreach, intervalMs: 5000 })
 */
export { startSlaTimer, type SlaTimer, type SlaTimerDeps, type SweepReport } from './escalation/sla-timer.ts'
export type {
  PendingAction, Message, MessageKind, Mailbox, PoolClient, PoolHandlers, PoolRequest, PoolResults, ActorFactory, ActorInstance, MailOutcome,
} from './protocol.ts'
