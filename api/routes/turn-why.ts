// "Why did it say that": one turn rebuilt from what was stored — the customer's message, each guardrail
// decision, each model step (provider, model, tokens, cost, fallback path, the routing decision that chose
// the model), each tool call and its result, the reply, the escalation, and the trace id. Tenant-scoped:
// a foreign conversation answers 404.
import { Elysia, t } from 'elysia'
import type { GuardrailVerdict, PoolResults, RecordedReply, ToolCallRef } from '../../actors/protocol.ts'
import { AppError } from '../../lib/errors.ts'
import type { ProviderCallRecord, Storage, StoredDecision, TurnFacts, TurnRecord } from '../../storage/index.ts'
import { decisionView } from './policy-decisions.ts'
import { requestGuard, type GuardDeps } from '../guard.ts'
import { ConversationParams } from '../schemas.ts'

export interface TurnWhyRouteDeps extends GuardDeps {
  storage: Pick<Storage, 'chat' | 'turnRecords' | 'turnFacts' | 'policyState'>
}

type ModelResult = PoolResults['provider.complete']

const Params = t.Object({ id: ConversationParams.properties.id, turnId: t.String({ minLength: 1, maxLength: 200 }) })

// A reply the output checks refused is asked for again: those model steps come after the first pass's.
const MODEL_STEP = /^(revise\.)?model\.(\d+)$/
const stepOrder = (step: string) => {
  const [, revise, n] = MODEL_STEP.exec(step) ?? []
  return (revise ? 1000 : 0) + Number(n)
}

/** Which policy version and rule chose the model, and what pushed the call off the rule's first choice. */
function routingDecision(call: ProviderCallRecord | undefined) {
  if (!call?.policyVersion) return null
  return { policyVersion: call.policyVersion, rule: call.rule, degradedBy: call.degradedBy }
}

function modelSteps(record: TurnRecord) {
  const calls = new Map(record.providerCalls.map((c) => [c.id, c]))
  return record.steps
    .filter((s) => MODEL_STEP.test(s.step))
    .sort((a, b) => stepOrder(a.step) - stepOrder(b.step))
    .map((s) => {
      const r = s.result as ModelResult
      const call = calls.get(`${record.turnId}.${s.step}`)
      return {
        step: s.step, provider: r.provider, model: r.model, text: r.text, toolCalls: r.toolCalls, usage: r.usage,
        costUsd: r.costUsd, fallbackPath: r.path, routing: routingDecision(call), escalate: r.escalate ?? null,
        latencyMs: call?.latencyMs ?? null, at: s.createdAt.toISOString(),
      }
    })
}

function toolCalls(record: TurnRecord, steps: ReturnType<typeof modelSteps>, reply: RecordedReply | undefined) {
  const results = new Map((reply?.transcript ?? []).filter((m) => m.role === 'tool').map((m) => [m.toolCallId, m]))
  const writes = new Map(record.toolCalls.map((w) => [w.idempotencyKey, w]))
  return steps.flatMap((s) => s.toolCalls.map((call: ToolCallRef) => {
    const result = results.get(call.id)
    const write = writes.get(`${record.turnId}.tool.${call.id}`)
    return {
      step: s.step, id: call.id, name: call.name, arguments: call.arguments,
      result: result ? parseJson(result.text) : null, isError: result?.isError ?? null,
      write: write ? { ok: write.ok, status: write.status, latencyMs: write.latencyMs } : null,
    }
  }))
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

/** The input verdict, recorded as a step when it did not allow; a turn that went on was allowed by the default rule. */
function inputVerdict(record: TurnRecord) {
  const recorded = record.steps.find((s) => s.step === 'guardrail.input')
  if (recorded) return [{ stage: 'input', ...(recorded.result as GuardrailVerdict), recorded: true }]
  if (record.steps.length === 0) return []
  return [{ stage: 'input', verdict: 'allow', rule: 'default', reason: 'no rule matched', recorded: false }]
}

export function turnWhyView(record: TurnRecord) {
  const reply = record.steps.find((s) => s.step === 'reply')
  const recordedReply = reply?.result as RecordedReply | undefined
  const steps = modelSteps(record)
  const escalation = record.escalations[0]
  return {
    conversationId: record.conversationId,
    turnId: record.turnId,
    traceId: recordedReply?.traceId ?? null,
    customerMessage: { id: record.message.id, text: record.message.text, at: record.message.createdAt.toISOString() },
    guardrails: inputVerdict(record),
    // Every check of the turn (input, each tool result and passage, each reply draft), with score and latency.
    checks: recordedReply?.checks ?? [],
    citations: recordedReply?.citations ?? [],
    modelSteps: steps,
    toolCalls: toolCalls(record, steps, recordedReply),
    reply: recordedReply && reply
      ? { id: recordedReply.id, text: recordedReply.text, escalated: recordedReply.escalated, at: reply.createdAt.toISOString() }
      : null,
    escalation: escalation
      ? { id: escalation.id, reason: escalation.reason, detail: escalation.detail, status: escalation.status, at: escalation.createdAt.toISOString() }
      : null,
    totals: {
      modelCalls: steps.length,
      inputTokens: steps.reduce((n, s) => n + s.usage.inputTokens, 0),
      outputTokens: steps.reduce((n, s) => n + s.usage.outputTokens, 0),
      costUsd: steps.reduce((n, s) => n + s.costUsd, 0),
    },
  }
}

/** What the turn ran under (agent and policy versions, intent, segment, withdrawn tools) and what the policy decided. */
export function governanceView(facts: TurnFacts | undefined, decisions: StoredDecision[], record: TurnRecord) {
  const topic = record.steps.find((s) => s.step === 'policy.topic')?.result ?? null
  return {
    ran: facts ? {
      agent: facts.agent, agentVersion: facts.agentVersion, agentScope: facts.agentScope, mode: facts.mode, policy: facts.policy ?? null,
      policyVersion: facts.policyVersion ?? null, intent: facts.intent, intentConfidence: facts.intentConfidence, segment: facts.segment,
      withdrawnTools: facts.withdrawn ?? [],
    } : null,
    topic,
    policyDecisions: decisions.map(decisionView),
  }
}

export function turnWhyRoutes(deps: TurnWhyRouteDeps) {
  return new Elysia({ name: 'turn-why' })
    .use(requestGuard(deps))
    .get('/v1/conversations/:id/turns/:turnId/why', async ({ params: { id, turnId }, tenant }) => {
      if (!(await deps.storage.chat.get(tenant.tenantId, id))) throw new AppError('not_found', `conversation ${id} not found`)
      const [record, facts, decisions] = await Promise.all([
        deps.storage.turnRecords.load(id, turnId), deps.storage.turnFacts.of(turnId), deps.storage.policyState.decisions(tenant.tenantId, id, turnId),
      ])
      if (!record) throw new AppError('not_found', `turn ${turnId} not found in conversation ${id}`)
      return { ...turnWhyView(record), ...governanceView(facts, decisions, record) }
    }, {
      scope: ['console'], params: Params,
      detail: { summary: 'Why a turn was answered as it was: its guardrail decisions, model steps, tool calls and trace', tags: ['conversations'] },
    })
}
