// Every message that crosses a queue, declared once with its runtime schema and version, plus the
// seams (Mailbox, PoolClient, actor hosting) that queues/ implements so that actors never import it.
import { Type, type Static, type TSchema } from '@sinclair/typebox'
import type { ErrorInfo } from '../lib/errors.ts'
import type { ModelCallStep } from '../storage/index.ts'

const Id = Type.String({ minLength: 1, maxLength: 200 })

const envelope = <K extends string, P extends TSchema>(kind: K, payload: P) =>
  Type.Object({
    v: Type.Literal(1),
    id: Id,
    kind: Type.Literal(kind),
    conversationId: Id,
    causationId: Type.Optional(Id),
    sentAt: Type.Number(),
    payload,
  })

export const Channel = Type.Union(['chat', 'email', 'sms', 'voice', 'ticket'].map((c) => Type.Literal(c))) as TSchema
export type Channel = 'chat' | 'email' | 'sms' | 'voice' | 'ticket'

// ── Conversation mailbox ────────────────────────────────────────────────────────────────────

/** A customer wrote. Sent by the API, the ticket webhook and producers; handled by the conversation actor. */
export const TurnReceived = envelope(
  'turn.received',
  Type.Object({ text: Type.String({ minLength: 1, maxLength: 16_000 }), channel: Type.Optional(Type.String()) }),
)
export type TurnReceived = Static<typeof TurnReceived>

/** A proactive message is due. Sent by the outreach pool; handled by the conversation actor. */
export const OutreachTriggered = envelope(
  'outreach.triggered',
  Type.Object({ campaign: Id, text: Type.String({ minLength: 1, maxLength: 16_000 }) }),
)
export type OutreachTriggered = Static<typeof OutreachTriggered>

/** Close the conversation. Sent by the API; handled by the conversation actor. */
export const ConversationClose = envelope('conversation.close', Type.Object({ reason: Type.String({ maxLength: 500 }) }))
export type ConversationClose = Static<typeof ConversationClose>

/**
 * People wrote to the conversation outside the actor (a human agent's message, a sent draft, a hand-back): the
 * actor reads its context again before the next turn.
 */
export const ContextChanged = envelope('context.changed', Type.Object({ reason: Type.String({ maxLength: 100 }) }))
export type ContextChanged = Static<typeof ContextChanged>

/**
 * A person approved or refused an action the policy held for approval. Sent by the API's approvals routes;
 * handled by the conversation actor, which runs an approved action once and tells the customer the outcome.
 */
export const ApprovalDecided = envelope('approval.decided', Type.Object({
  approvalId: Id,
  approved: Type.Boolean(),
  tool: Id,
  args: Type.Record(Type.String(), Type.Unknown()),
  summary: Type.String({ maxLength: 1000 }),
  reason: Type.Optional(Type.String({ maxLength: 1000 })),
}))
export type ApprovalDecided = Static<typeof ApprovalDecided>

export const Message = Type.Union([TurnReceived, OutreachTriggered, ConversationClose, ContextChanged, ApprovalDecided])
export type Message = Static<typeof Message>
export type MessageKind = Message['kind']

// ── Pool requests (supervisor → pools) ──────────────────────────────────────────────────────

export const ToolCallRef = Type.Object({ id: Id, name: Id, arguments: Type.Record(Type.String(), Type.Unknown()) })
export type ToolCallRef = Static<typeof ToolCallRef>

/** One entry of a conversation's context: a message, or (within a turn) a tool call and its result. */
export const ChatTurn = Type.Object({
  role: Type.Union([
    Type.Literal('customer'), Type.Literal('assistant'), Type.Literal('human_agent'), Type.Literal('system'), Type.Literal('tool'),
  ]),
  text: Type.String(),
  /** assistant: the tools it asked for. */
  toolCalls: Type.Optional(Type.Array(ToolCallRef)),
  /** tool: which call this answers. */
  toolCallId: Type.Optional(Id),
  name: Type.Optional(Id),
  isError: Type.Optional(Type.Boolean()),
})
export type ChatTurn = Static<typeof ChatTurn>

/** A versioned definition: the scope it comes from ('*' for the platform, or the tenant) and its version. */
const VersionRef = Type.Object({ scope: Id, version: Type.Integer({ minimum: 1 }) })

/** What routing matches on and budgets are charged to. */
export const RouteInfo = Type.Object({
  tenantId: Id,
  channel: Type.Optional(Type.String()),
  customerId: Type.Optional(Id),
  intent: Type.Optional(Type.String()),
  /** The agent's autonomy level for this tenant (assist → execute → operate): routing policies may match on it. */
  maturity: Type.Optional(Type.Union([Type.Literal('assist'), Type.Literal('execute'), Type.Literal('operate')])),
  /** The customer's segment (a plan, a VIP flag), set by the tenant. */
  segment: Type.Optional(Type.String({ maxLength: 64 })),
})
export type RouteInfo = Static<typeof RouteInfo>

/** A provider (vendor) queue's name: `local`, `openai`, … as the deployment names its providers. */
export const VENDOR_PATTERN = '^[a-z0-9][a-z0-9-]{0,39}$'

/**
 * Ask a model for the next reply. Sent by the conversation actor via the supervisor to the queue of the vendor the
 * routing policy chose; handled by that vendor's provider pool. It carries references, never the customer's words:
 * the provider actor rebuilds the prompt from Postgres (`context`: the ids of the messages in the actor's window;
 * the turn's own tool calls and results are its recorded steps).
 */
export const ProviderComplete = envelope(
  'provider.complete',
  Type.Object({
    turnId: Id, step: Id, agent: Type.String(), route: RouteInfo,
    /** The vendor whose queue carries the call: the routing policy's chain restricted to its models. */
    vendor: Type.String({ pattern: VENDOR_PATTERN }),
    /** Message ids of the conversation's context window, oldest first (transcript entries as `<turn>.t<i>`). */
    context: Type.Array(Id, { maxItems: 1000 }),
    /** `provider:model` of the vendors' models tried before this one in the fallback chain, for the record. */
    tried: Type.Optional(Type.Array(Type.String({ maxLength: 200 }), { maxItems: 50 })),
    /** Epoch ms the caller waits until: no attempt starts after it (the job is the retry owner). */
    deadline: Type.Optional(Type.Number()),
    // Optional, so messages with and without it are both handled while a deploy rolls: absent means the
    // definition in force when the call is handled.
    /** The agent definition the turn began with: its scope ('*' or the tenant) and version. */
    agentRef: Type.Optional(VersionRef),
    /** The model's last reply failed the output checks: it answers again, told why. */
    revise: Type.Optional(Type.Object({ draft: Type.String({ maxLength: 16_000 }), reason: Type.String({ maxLength: 2000 }) })),
  }),
)
export type ProviderComplete = Static<typeof ProviderComplete>

/** Run one tool call; `id` is its idempotency key. Handled by the tool pool. */
export const ToolInvoke = envelope(
  'tool.invoke',
  Type.Object({
    turnId: Id, tool: Id, args: Type.Record(Type.String(), Type.Unknown()),
    // Optional, so messages with and without them are both handled while a deploy rolls: absent means what is in
    // force when the call is handled. Present, the call is judged under the versions its turn began with.
    agentRef: Type.Optional(VersionRef),
    policyRef: Type.Optional(Type.Object({ name: Id, scope: Id, version: Type.Integer({ minimum: 1 }) })),
  }),
)
export type ToolInvoke = Static<typeof ToolInvoke>

/** Hand the conversation to a human, with the reason. Handled by the escalation pool. */
export const EscalationOpen = envelope(
  'escalation.open',
  Type.Object({ turnId: Type.Optional(Id), reason: Id, detail: Type.Optional(Type.String({ maxLength: 2000 })) }),
)
export type EscalationOpen = Static<typeof EscalationOpen>

/**
 * Deliver a proactive message into a conversation (delayed until due). Sent by the campaign runner for messages
 * deferred past quiet hours; handled by the outreach pool. With `delivery`, the campaign's restraint is checked
 * again when it comes due (the customer may have opted out meanwhile) and the delivery row is marked sent.
 */
export const OutreachSend = envelope(
  'outreach.send',
  Type.Object({ campaign: Id, text: Type.String({ minLength: 1, maxLength: 16_000 }), delivery: Type.Optional(Id) }),
)
export type OutreachSend = Static<typeof OutreachSend>

export const PoolRequest = Type.Union([ProviderComplete, ToolInvoke, EscalationOpen, OutreachSend])
export type PoolRequest = Static<typeof PoolRequest>
export type PoolKind = PoolRequest['kind']

export interface Usage {
  inputTokens: number
  outputTokens: number
  cachedTokens: number
}

export interface GuardrailVerdict {
  verdict: 'allow' | 'block' | 'escalate'
  rule: string
  reason: string
  policyVersion: string
}

/** The recorded `reply` step of a turn: written once by the conversation actor, read by the "why" view. */
export interface RecordedReply {
  id: string
  text: string
  escalated: boolean
  /** Tool calls and results of this turn, kept in the actor's context for the turns that follow. */
  transcript?: ChatTurn[]
  /** The turn's trace, when tracing was on: the "why" view links to it. */
  traceId?: string
  /** Assist mode: a draft for a person to send or discard, not sent to the customer. */
  draft?: boolean
  /** Every guardrail check of the turn: stage, check, verdict, score, latency and the rules' version. */
  checks?: Array<{ stage: string; check: string; verdict: string; score: number; reason: string; latencyMs?: number; policyVersion: string }>
  /** The knowledge passages the turn retrieved, by article, passage and version. */
  citations?: Array<{ articleId: string; passageId: string; version: number; title: string }>
}

/** An action the policy holds until the customer confirms it or a person approves it: the turn ends asking for that. */
export interface PendingAction {
  kind: 'confirm' | 'approve'
  summary: string
  amountUsd?: number
}

/** What each pool request resolves to: plain JSON. */
export interface PoolResults {
  'provider.complete': {
    text: string
    toolCalls: ToolCallRef[]
    provider: string
    model: string
    usage: Usage
    costUsd: number
    /** Every model tried, ending with the one that answered. */
    path: string[]
    /** Set when the model itself decided a human must take over: the reason. */
    escalate?: string
  }
  'tool.invoke': { ok: true; output: unknown } | { ok: false; error: ErrorInfo; pending?: PendingAction }
  'escalation.open': {
    escalationId: string
    /** What the waiting customer is told about the queue and the expected wait; absent once nobody waits. */
    holding?: string
  }
  'outreach.send': { delivered: boolean }
}

/** The pool that serves each request kind. */
export const poolOf = {
  'provider.complete': 'provider',
  'tool.invoke': 'tool',
  'escalation.open': 'escalation',
  'outreach.send': 'outreach',
} as const satisfies Record<PoolKind, string>
export type PoolName = (typeof poolOf)[PoolKind]
export const POOL_NAMES: readonly PoolName[] = ['provider', 'tool', 'escalation', 'outreach']

// ── Seams implemented by queues/ ────────────────────────────────────────────────────────────

/** Sends mail to conversation actors. Validates before sending; a duplicate `id` is ignored. */
export interface Mailbox {
  send(msg: Message): Promise<void>
  /** Messages waiting in one conversation's mailbox (not yet handled). */
  backlog(conversationId: string): Promise<number>
}

export interface CallOptions {
  /** Give up waiting after this long (the work itself may still finish). @defaultValue 60_000 */
  timeoutMs?: number
  /** Where a model call made in this process hands an answer that asks for no tool, for the turn's reply to record (see `Delivery`). */
  recordWithReply?: (record: ModelCallStep) => void
  /** The context a model call made in this process takes from the conversation actor (see `Delivery`). */
  held?: HeldContext
}

/** A model call's context as the conversation actor holds it when it asks: what a queued call reads back by reference. */
export interface HeldContext {
  /** The context window's entries, for the ids the request names: the words of its messages, its tool calls and results. */
  history: ChatTurn[]
  /** Every step the turn recorded so far: the knowledge it retrieved, earlier model answers and tool results. The call's own copy. */
  steps: Map<string, unknown>
}

/** Request-response over a pool queue. Rejects with an `AppError` rebuilt from the pool's `ErrorInfo`. */
export interface PoolClient {
  call<K extends PoolKind>(req: Extract<PoolRequest, { kind: K }>, options?: CallOptions): Promise<PoolResults[K]>
  /** Fire-and-forget, optionally delayed (outreach scheduling). */
  enqueue(req: PoolRequest, options?: { delayMs?: number }): Promise<void>
}

export interface Delivery {
  /** 1 on first delivery; higher when the message was redelivered after a crash or a failed attempt. */
  attempt: number
  /**
   * Set for a model call made in the caller's process: an answer that asks for no tool takes no write of its own, it is
   * handed here and recorded with the turn's reply (storage's ModelCallStep says why that is safe).
   */
  recordWithReply?: (record: ModelCallStep) => void
  /**
   * Set for a model call made in the caller's process: its context comes from the actor that asks, not from Postgres. A
   * queued call carries ids only (no customer text in a job) and reads the words back; in the actor's own process the
   * words are at hand, and the read would return what the actor holds (test/actors/held-context.test.ts holds the two
   * equal). Where Postgres no longer has a message the actor loaded (an archived one), only the actor still sees it.
   */
  held?: HeldContext
}

/** A pool's handler for each kind it serves: a missing one is a compile error. */
export type PoolHandlers = {
  [K in PoolKind]: (req: Extract<PoolRequest, { kind: K }>, delivery: Delivery) => Promise<PoolResults[K]>
}

/**
 * What the host does with mail the actor has handled: keep it a while, so a re-sent id is still known as a
 * duplicate (`done`), or remove it at once (`forget`: the conversation was erased, its text must not linger).
 */
export type MailOutcome = 'done' | 'forget'

/** One activated conversation. The host calls `handle` one message at a time, in order. */
export interface ActorInstance {
  handle(msg: Message, delivery: Delivery): Promise<MailOutcome>
  /** Called once the host stops retrying `msg`: the customer must still hear something. */
  giveUp(msg: Message, error: ErrorInfo): Promise<void>
}

/** Activates the actor of one conversation (loads its state). */
export type ActorFactory = (conversationId: string) => Promise<ActorInstance>

/** Context an actor's handler receives: its state and its outbound seams. */
export type Handlers<K extends MessageKind, C> = {
  [P in K]: (msg: Extract<Message, { kind: P }>, ctx: C) => Promise<MailOutcome>
}
