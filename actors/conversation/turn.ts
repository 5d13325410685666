// One customer turn, checkpointed: each step's result is recorded, and a redelivered turn resumes after the
// last recorded step. The reply and its publication happen exactly once per turn.
import type { MailOutcome, RecordedReply, RouteInfo, TurnReceived } from '../protocol.ts'
import type { ErrorInfo } from '../../lib/errors.ts'
import { ATTR, recordSpan, withSpan, type SpanHandle } from '../../lib/spans.ts'
import type { GuardrailVerdict } from '../../policy/index.ts'
import { checkTopic } from '../../providers/index.ts'
import { handOffTo, opensRequest, topicBoundary } from './topic-boundary.ts'
import { MERGED_STEP, type AgentMode, type RecordedStep, type StoredMessage } from '../../storage/index.ts'
import type { TurnOutcome } from '../observer.ts'
import { checkedReply } from './checked-reply.ts'
import { inputStage, type CheckRecord, type TurnSignals } from './guardrails.ts'
import { retrieveForTurn } from './retrieval.ts'
import { passToHuman } from './handoff.ts'
import { beginSteps, remember, type ConversationContext } from './state.ts'
import { INPUT_GUARD_STEP, WITHHELD_MESSAGE } from '../turn-prompt.ts'
import { optOutOnStop } from '../outreach/stop-reply.ts'
import { assertTranscriptOrder } from './transcript-order.ts'

export const REPLY_STEP = 'reply'

/** The reply to a message a guardrail blocked: it never reaches the model. */
export const BLOCKED_REPLY =
  "For your security, please don't share payment card numbers in this chat. I can help you without them."

/** How long a turn may run before the customer's stream shows the agent typing (`agent.typing`). */
export const TYPING_DELAY_MS = 250

/** What the customer hears when the platform cannot answer: the truth, and that a human will follow up. */
export const HANDOFF_REPLY =
  "I'm sorry, I can't complete this right now. I've passed our conversation to a member of the support team, who will follow up here."

/** One trace per turn: this span's parent is the mailbox job's, so it continues the sender's trace. */
export function runTurn(msg: TurnReceived, ctx: ConversationContext, failure?: ErrorInfo): Promise<MailOutcome> {
  return withSpan('turn', (span) => handleTurn(msg, ctx, span, failure), {
    attributes: () => ({ [ATTR.conversationId]: msg.conversationId, [ATTR.turnId]: msg.id, [ATTR.agentName]: ctx.state.agent }),
  })
}

async function handleTurn(msg: TurnReceived, ctx: ConversationContext, span: SpanHandle, failure?: ErrorInfo): Promise<MailOutcome> {
  const { state, deps } = ctx
  recordSpan('mailbox.wait', msg.sentAt)
  const intent = classifyIntent(msg.payload.text)
  const begin = { turnId: msg.id, conversationId: state.conversationId, text: msg.payload.text, ...intent, conversationStored: state.stored }
  const { steps, erased, message, status, mode, escalatedHere, agent, segment, policy, earlierUnsettled } = await withSpan('turn.begin', () => deps.storage.turnSteps.begin(begin))
  if (erased) return 'forget'
  state.stored = true
  const checkpoints = beginSteps(ctx, msg.id, steps)
  assertTranscriptOrder(msg, earlierUnsettled)
  state.agentRef = agent
  state.policyRef = policy
  state.route = routeFacts(state.route, { maturity: mode, intent: intent.intent, segment })
  // Folded into an earlier turn (double texting, merge policy): that turn's reply answered it.
  if (checkpoints.recorded(MERGED_STEP)) return 'done'
  let reply = checkpoints.recorded<RecordedReply>(REPLY_STEP)
  // A redelivered turn that already has its reply, or owes the handoff reply of the escalation it opened, still
  // delivers it, whoever is in charge now.
  if (!reply && status === 'escalated' && !escalatedHere) return passToHuman(msg, message, ctx)
  // Set only when this delivery produced the reply: a redelivered turn is not counted twice.
  let outcome: TurnOutcome | undefined
  // What the hot tier gets: rows the writes returned, or ids to read back where they returned none.
  const written: Array<StoredMessage | string> = [message ?? msg.id]
  let replyRow: StoredMessage | undefined
  if (!reply) {
    const merged = state.doubleTexting === 'merge' ? await deps.storage.turnSteps.claimFollowing(state.conversationId, msg.id) : []
    const input = mergedInput(msg, merged)
    const screened = checkInput(input, ctx)
    const { verdict } = screened
    for (const m of [{ id: msg.id, text: msg.payload.text }, ...merged]) {
      remember(state, m.id, { role: 'customer', text: verdict.verdict === 'block' ? WITHHELD_MESSAGE : m.text }, deps)
    }
    written.push(...merged)
    const inputs = { verdict, failure, signals: { ...screened.signals, intentConfidence: intent.intentConfidence }, checks: screened.checks, mode }
    const traceId = span.traceId()
    reply = await typingMeanwhile(msg, ctx, mode, () => ctx.step(REPLY_STEP, async () => {
      const produced = await produceReply(input, ctx, inputs)
      return traceId ? { ...produced, traceId } : produced
    }, async (produced) => {
      const recorded = await recordOnce(ctx, msg.id, produced, mode)
      replyRow = recorded.message
      return recorded.result
    }))
    reply.transcript?.forEach((t, i) => remember(state, `${msg.id}.t${i}`, t, deps))
    if (!reply.draft) remember(state, reply.id, { role: 'assistant', text: reply.text }, deps)
    outcome = failure ? 'failed' : verdict.verdict === 'block' ? 'blocked' : reply.escalated ? 'escalated' : 'replied'
  }
  const delivered = reply
  span.annotate(() => ({ [ATTR.outcome]: outcome ?? 'already_recorded' }))
  // The reply goes to the customer's stream first; the write-through to the hot tier (a draft is not a message)
  // follows in the same round trip to Redis, so it never delays the customer and costs the turn no trip of its own.
  const delivering = withSpan('deliver reply', () => deliver(ctx, msg.id, delivered))
  const caching = deps.storage.sessions.cacheWritten(state.conversationId, delivered.draft ? written : [...written, replyRow ?? delivered.id])
    .catch((e: Error) => deps.log.warn('hot session write-through failed', { conversationId: state.conversationId, error: e }))
  await delivering
  if (outcome) deps.observer.turnFinished(outcome, Math.max(0, deps.clock.now() - msg.sentAt) / 1000)
  await caching
  return 'done'
}

/** What routing matches on, refreshed each turn: the segment may have been set or cleared since the last one. */
function routeFacts(route: RouteInfo, facts: Pick<RouteInfo, 'maturity' | 'intent' | 'segment'>): RouteInfo {
  const { segment: _stale, ...rest } = route
  return { ...rest, maturity: facts.maturity, intent: facts.intent, ...(facts.segment ? { segment: facts.segment } : {}) }
}

/** Every turn is classified by the offline intent model, whatever model answers: routing and the KPIs read it. */
function classifyIntent(text: string): { intent: string; intentConfidence: number } {
  const topic = checkTopic(text)
  // A customer asking for a person is never out of scope, however they put it.
  const asksForPerson = ASKS_FOR_PERSON.has(topic.intent) && topic.intentConfidence >= 0.5
  const intent = topic.inScope || asksForPerson ? topic.intent : 'out_of_scope'
  return { intent, intentConfidence: Math.round(topic.intentConfidence * 1000) / 1000 }
}

const ASKS_FOR_PERSON = new Set(['contact_human_agent', 'contact_customer_service'])

/**
 * Runs `work` (the reply); if it takes longer than TYPING_DELAY_MS, the customer's stream shows the agent typing. A
 * reply ready sooner needs no indicator: it would flash just before the reply, for a write to the stream. A draft
 * (assist mode) is not on its way to the customer: a person decides whether it goes.
 */
async function typingMeanwhile<T>(msg: TurnReceived, ctx: ConversationContext, mode: AgentMode, work: () => Promise<T>): Promise<T> {
  const typing = mode === 'assist' ? undefined : setTimeout(announceTyping, TYPING_DELAY_MS, msg, ctx)
  try {
    return await work()
  } finally {
    clearTimeout(typing)
  }
}

/** Typing indicator for chat widgets; best effort, and never delays the turn. */
function announceTyping(msg: TurnReceived, { state, deps }: ConversationContext): void {
  deps.storage.events.publish({
    id: msg.id, type: 'agent.typing', conversationId: state.conversationId, at: deps.clock.now(), data: { turnId: msg.id },
  }).catch((e: Error) => deps.log.warn('typing event failed', { conversationId: state.conversationId, error: e }))
}

/** The turn's input: the message itself, plus any messages merged into it, in the order they were written. */
function mergedInput(msg: TurnReceived, merged: { text: string }[]): TurnReceived {
  if (merged.length === 0) return msg
  return { ...msg, payload: { ...msg.payload, text: [msg.payload.text, ...merged.map((m) => m.text)].join('\n') } }
}

/** The input guardrail is pure and synchronous: its span is recorded once it has decided. */
function checkInput(msg: TurnReceived, ctx: ConversationContext): ReturnType<typeof inputStage> {
  const started = Date.now()
  // The history loaded on activation can already hold this very message: it is not its own repetition.
  const { history, historyIds } = ctx.state
  const earlier = history.filter((t, i) => t.role === 'customer' && historyIds[i] !== msg.id).map((t) => t.text)
  const screened = inputStage(msg.payload.text, earlier, ctx.deps.observer)
  const { verdict } = screened
  recordSpan('guardrail input', started, {
    attributes: () => ({
      'switchboard.guardrail.check': verdict.rule, 'switchboard.guardrail.verdict': verdict.verdict,
      'switchboard.guardrail.policy_version': verdict.policyVersion,
    }),
  })
  return screened
}

interface TurnInputs {
  verdict: GuardrailVerdict
  failure?: ErrorInfo
  /** What the input stage read in the message, for the reply's confidence score. */
  signals: TurnSignals
  checks: CheckRecord[]
  mode: AgentMode
}

async function produceReply(msg: TurnReceived, ctx: ConversationContext, inputs: TurnInputs): Promise<RecordedReply> {
  const reply = await replyOf(msg, ctx, inputs)
  return reply.checks ? reply : { ...reply, checks: inputs.checks }
}

async function replyOf(msg: TurnReceived, ctx: ConversationContext, { verdict, failure, signals, checks, mode }: TurnInputs): Promise<RecordedReply> {
  const id = `${msg.id}.reply`
  if (failure) return escalateTurn(ctx, msg.id, failure)
  if (verdict.verdict !== 'allow') await ctx.checkpoint(INPUT_GUARD_STEP, async () => verdict)
  if (verdict.verdict === 'block') return { id, text: BLOCKED_REPLY, escalated: false }
  if (verdict.verdict === 'escalate') {
    return escalateTurn(ctx, msg.id, { code: 'guardrail.escalated', message: verdict.reason, retryable: false })
  }
  const optedOut = await optOutOnStop(msg, ctx)
  if (optedOut) return { id, text: optedOut, escalated: false }
  if (!ctx.state.agentRef) {
    return escalateTurn(ctx, msg.id, { code: 'agent.unknown', message: `agent ${ctx.state.agent} is not defined for this tenant`, retryable: false })
  }
  const topic = await topicBoundary(msg, ctx)
  if (topic?.action === 'decline') return { id, text: topic.message ?? HANDOFF_REPLY, escalated: false }
  const handedOff = topic?.action === 'handoff' && (await handOffTo(topic.agent!, ctx))
  if (topic && !handedOff) {
    const message = `a ${topic.intent} request is outside this agent's topics (${topic.policy} ${topic.version}, rule ${topic.rule})`
    return escalateTurn(ctx, msg.id, { code: 'topic.out_of_scope', message, retryable: false })
  }
  const { state, deps } = ctx
  const agent = await deps.directory.resolve(state.route.tenantId, state.agent, state.agentRef)
  if (!agent) return escalateTurn(ctx, msg.id, { code: 'agent.unknown', message: `agent ${state.agent} is no longer defined`, retryable: false })
  const policy = await agent.policyIn(state.route.tenantId)
  const knowledge = await withSpan('retrieve', () => retrieveForTurn(msg, agent.knowledgeBase, ctx))
  // Intent confidence says something only about a message that opens a request, not about a "yes".
  const turnSignals = opensRequest(msg, ctx) ? signals : { ...signals, intentConfidence: undefined }
  const outcome = await withSpan(`invoke_agent ${state.agent}`, () => checkedReply(msg, ctx, { agent, policy, passages: knowledge.passages, signals: turnSignals, mode }), {
    attributes: () => ({ [ATTR.operation]: 'invoke_agent', [ATTR.agentName]: state.agent }),
  })
  const citations = knowledge.passages.map(({ articleId, passageId, version, title }) => ({ articleId, passageId, version, title }))
  const recorded = { checks: [...checks, ...knowledge.checks, ...outcome.checks], ...(citations.length > 0 ? { citations } : {}) }
  if (outcome.kind === 'reply') return { id, text: outcome.text, escalated: false, transcript: outcome.transcript, ...recorded }
  return { ...(await escalateTurn(ctx, msg.id, outcome.error, outcome.text)), transcript: outcome.transcript, ...recorded }
}

/** Opens the handoff and tells the customer; `text` is the agent's own handoff message when it chose to escalate. */
async function escalateTurn(ctx: ConversationContext, turnId: string, error: ErrorInfo, text?: string): Promise<RecordedReply> {
  const turn = { conversationId: ctx.state.conversationId, turnId }
  ctx.deps.observer.escalation(error.code)
  const escalation = await withSpan('escalate', () => ctx.deps.supervisor.escalate(turn, error.code, error.message), {
    attributes: () => ({ 'switchboard.escalation.reason': error.code }),
  })
  if (!escalation.ok) ctx.deps.log.error('escalation failed', { ...turn, error: escalation.error })
  const holding = escalation.ok ? escalation.value.holding : undefined
  const handoff = text || (await agentHandoffMessage(ctx)) || HANDOFF_REPLY
  return { id: `${turnId}.reply`, text: [handoff, holding].filter(Boolean).join(' '), escalated: true }
}

/** The agent's own handoff message, when its definition has one (and can be read). */
async function agentHandoffMessage({ state, deps }: ConversationContext): Promise<string | undefined> {
  if (!state.agentRef) return undefined
  const agent = await deps.directory.resolve(state.route.tenantId, state.agent, state.agentRef).catch(() => undefined)
  return agent?.handoffMessage
}

/**
 * Records the reply once: sent to the customer, or in assist mode a draft for a person to send or discard. The model
 * calls held for it are recorded in the same statement.
 */
async function recordOnce(ctx: ConversationContext, turnId: string, reply: RecordedReply, mode: AgentMode): Promise<RecordedStep<RecordedReply>> {
  const { conversationId } = ctx.state
  const calls = ctx.turn?.heldForReply() ?? []
  if (mode !== 'assist') return ctx.deps.storage.turnSteps.recordReply(conversationId, turnId, REPLY_STEP, reply, calls)
  return { result: await ctx.deps.storage.turnSteps.recordDraft(conversationId, turnId, REPLY_STEP, { ...reply, draft: true }, calls) }
}

/** The customer's stream gets the reply; of a draft only its id, for the console, since the customer reads it too. */
function deliver({ state, deps }: ConversationContext, turnId: string, reply: RecordedReply): Promise<unknown> {
  const at = deps.clock.now()
  const { conversationId } = state
  if (reply.draft) return deps.storage.events.publish({ id: reply.id, type: 'draft.created', conversationId, at, data: { draftId: reply.id, turnId } })
  return deps.storage.events.publish({
    id: reply.id, type: 'reply.completed', conversationId, at,
    data: { messageId: reply.id, turnId, text: reply.text, escalated: reply.escalated },
  })
}
