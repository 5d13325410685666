// The provider pool's handler: one model call per (turn, step), ever. The job names its vendor and carries
// references only: the prompt is rebuilt from Postgres (the context window's messages, the turn's recorded steps).
// A call made in the conversation actor's own process is handed that context as the actor holds it instead.
// The gateway picks the vendor's model; the call and its step are recorded together (a turn step), and a
// redelivered job returns the recorded result.
import type { ChatTurn, Delivery, HeldContext, PoolHandlers, PoolResults, ProviderComplete } from '../protocol.ts'
import { isLocalEscalation, type ProviderMessage } from '../../providers/index.ts'
import type { Storage } from '../../storage/index.ts'
import { TerminalError, toErrorInfo } from '../../lib/errors.ts'
import type { AgentDirectory } from '../agent-directory.ts'
import { withHandoffTool } from '../handoff-tool.ts'
import { createPrivacyFilter } from './privacy-filter.ts'
import { ATTR, SpanKind, withSpan, type SpanHandle } from '../../lib/spans.ts'
import type { RuntimeObserver } from '../observer.ts'
import { contentAttributes, modelAttributes } from './model-span.ts'
import { callModel, type PublishDelta } from './streamed-call.ts'
import { createReleaseGate, sentenceCheck } from './release-gate.ts'
import { KNOWLEDGE_STEP, knowledgeNote, revisionNote, screenedKnowledge, type KnowledgeRecord } from '../turn-knowledge.ts'
import { INPUT_GUARD_STEP, turnProgress, windowTurns } from '../turn-prompt.ts'
import { turnCheckpoints } from '../turn-step.ts'

export interface ProviderActorDeps {
  storage: Pick<Storage, 'turnSteps' | 'events' | 'conversations' | 'turnFacts'>
  /** The agents by tenant, name and version: instructions, tools and the model gateway of each. */
  directory: AgentDirectory
  observer: RuntimeObserver
  /** Put the prompt and the response (PII-redacted) on the span. */
  captureContent: boolean
}

type Result = PoolResults['provider.complete']

export function toProviderMessages(history: ChatTurn[]): ProviderMessage[] {
  const out: ProviderMessage[] = []
  for (const t of history) {
    if (t.role === 'customer') out.push({ role: 'user', content: t.text })
    else if (t.role === 'tool') out.push({ role: 'tool', toolCallId: t.toolCallId ?? '', name: t.name ?? '', content: t.text, isError: t.isError })
    else if (t.role !== 'system') out.push({ role: 'assistant', content: t.text, ...(t.toolCalls?.length ? { toolCalls: t.toolCalls } : {}) })
  }
  return out
}

/** The span is a child of the pool job's, which continues the turn's trace across the queue hop. */
export function createProviderHandler(deps: ProviderActorDeps): PoolHandlers['provider.complete'] {
  return (req, delivery) => withSpan('chat', (span) => complete(req, deps, span, delivery.recordWithReply, delivery.held), {
    kind: SpanKind.CLIENT,
    attributes: () => ({
      [ATTR.operation]: 'chat', [ATTR.conversationId]: req.conversationId, [ATTR.turnId]: req.payload.turnId, [ATTR.step]: req.payload.step,
    }),
  })
}

async function complete(req: ProviderComplete, deps: ProviderActorDeps, span: SpanHandle, recordWithReply: Delivery['recordWithReply'], held: Delivery['held']): Promise<Result> {
  const { turnId, step, route, agent, context } = req.payload
  const rows = held ?? await readContext(deps, turnId, context)
  // The actor already skips recorded steps; only a redelivered job can find its own result here.
  const checkpoints = turnCheckpoints(deps.storage.turnSteps, turnId, rows.steps)
  const recorded = checkpoints.recorded<Result>(step)
  if (recorded) return recorded
  const history = [...rows.history, ...turnProgress(rows.steps, step)]
  const runnable = await deps.directory.resolve(route.tenantId, agent, req.payload.agentRef)
  if (!runnable) throw new TerminalError('agent.unknown', `agent ${agent} is not defined for tenant ${route.tenantId}`)
  const { offered, withdrawn } = await runnable.tools(route.tenantId, route.maturity)
  const vars = { tenantId: route.tenantId, segment: route.segment, customerName: runnable.variables.includes('customer.name') ? await customerName(deps, req) : undefined }
  const passages = runnable.knowledgeBase ? screenedKnowledge(checkpoints.recorded<KnowledgeRecord>(KNOWLEDGE_STEP)).passages : []
  const standing = runnable.instructions(vars)
  const system = standing + unavailableNote(withdrawn) + knowledgeNote(passages) + revisionNote(req.payload.revise)
  if (withdrawn.length > 0) await deps.storage.turnFacts.noteWithdrawn(turnId, withdrawn)
  const messages = toProviderMessages(history)
  const started = performance.now()
  const publish: PublishDelta = (delta, index) => void deps.storage.events.publish({
    id: `${req.id}.d${index}`, type: 'reply.delta', conversationId: req.conversationId, at: Date.now(),
    data: { turnId, step, index, delta },
  }).catch(() => {})
  const policy = await runnable.policyIn(route.tenantId)
  const capped = await policy?.modelBudgetReached({ tenantId: route.tenantId, conversationId: req.conversationId, customerId: route.customerId })
  if (capped) throw new TerminalError('budget.exhausted', capped)
  const privacy = policy?.redactPii ? createPrivacyFilter() : undefined
  const gate = createReleaseGate(sentenceCheck(history, [...passages.map((p) => p.text), standing], policy?.guardrails?.grounding !== false), publish)
  const routed = await callModel(
    runnable.gateway,
    { system, messages, tools: withHandoffTool(offered), ...(privacy ? { privacy } : {}) },
    { ...route, agent, conversationId: req.conversationId, vendor: req.payload.vendor },
    // In assist mode the reply is a draft: the customer's stream must not show it being typed.
    route.maturity === 'assist' ? undefined : gate.publish,
  ).catch((e: unknown) => {
    deps.observer.modelFailed(toErrorInfo(e).code)
    throw e
  })
  const res = routed.response
  // The vendors the supervisor tried before this one are part of the call's path.
  const path = [...(req.payload.tried ?? []), ...routed.path]
  const result: Result = {
    text: res.text, toolCalls: res.toolCalls, provider: res.provider, model: res.model, usage: res.usage,
    costUsd: routed.costUsd, path,
    ...(isLocalEscalation(res) ? { escalate: res.decision.reason } : {}),
  }
  span.rename(`chat ${res.model}`)
  span.annotate(() => modelAttributes(result, res.stopReason, routed))
  if (deps.captureContent) span.annotate(() => contentAttributes(messages, result))
  deps.observer.modelCall({ provider: res.provider, model: res.model, ...res.usage, costUsd: routed.costUsd, failedBefore: path.slice(0, -1) })
  const call = {
    id: req.id, conversationId: req.conversationId, turnId, provider: res.provider, model: res.model,
    ...res.usage, costUsd: routed.costUsd, latencyMs: performance.now() - started, fallbackPath: path,
    policyVersion: routed.policyVersion ?? null, rule: routed.rule ?? null, degradedBy: degradedBy(req.payload.tried, routed.degradedBy),
  }
  // In the caller's process, an answer that asks for no tool is recorded with the turn's reply (see ModelCallStep).
  if (recordWithReply && result.toolCalls.length === 0 && !result.escalate) {
    recordWithReply({ call, step, result })
    return result
  }
  return checkpoints.step(step, async () => result, (r) => deps.storage.turnSteps.recordModelCall(call, step, r))
}

/** A queued call's context, read back by reference: the window's messages and transcripts, and the turn's steps. */
async function readContext(deps: ProviderActorDeps, turnId: string, context: string[]): Promise<HeldContext> {
  const rows = await deps.storage.turnSteps.context(turnId, context, INPUT_GUARD_STEP)
  return { history: windowTurns(context, rows), steps: rows.steps }
}

/** Why the call is not on the first vendor's first model: the vendors that failed before, and the chain's own steps. */
function degradedBy(tried: string[] | undefined, steps: string | undefined): string | null {
  const reasons = [tried?.length ? `fell back from ${tried.join(', ')}` : undefined, steps].filter(Boolean)
  return reasons.length > 0 ? reasons.join('; ') : null
}

/** The customer's name as the channel gave it, for `{{customer.name}}`. */
async function customerName(deps: ProviderActorDeps, req: ProviderComplete): Promise<string | undefined> {
  const conversation = await deps.storage.conversations.get(req.conversationId)
  const customer = conversation?.metadata.customer as { name?: unknown } | undefined
  return typeof customer?.name === 'string' ? customer.name : undefined
}

/** The model is told which of its tools are down, so it can say so instead of failing on them. */
function unavailableNote(withdrawn: ReadonlyArray<{ name: string; reason: string }>): string {
  if (withdrawn.length === 0) return ''
  return `\n\nUnavailable right now (tell the customer if they need it): ${withdrawn.map((w) => `${w.name} (${w.reason})`).join('; ')}.`
}
