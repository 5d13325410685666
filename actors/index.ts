// Conversation actors, the supervisor and the pool actors. Never imports queues/ or elysia.
export { createConversationFactory, createPoolHandlers, type RuntimeDeps } from './runtime.ts'
export type { ToolExecutor } from './tool/tool-actor.ts'
export type { AgentDirectory, AgentRef, OfferedTools, RunnableAgent, RunnablePolicy, TurnVariables } from './agent-directory.ts'
export { HANDOFF_REPLY, BLOCKED_REPLY } from './conversation/turn.ts'
export type {
  PendingAction, Message, MessageKind, Mailbox, PoolClient, PoolHandlers, PoolRequest, PoolResults, ActorFactory, ActorInstance, MailOutcome,
} from './protocol.ts'
