// The handoff package, built from what was stored about the conversation: who the customer is (as far as the
// profile allow-list lets a person see), what they want and how they feel, what the AI agent did and what failed,
// why it handed over and which policy rule decided. Pure: the facts and the intent model come in as arguments.
import { REASON_CATEGORY_LABELS, reasonCategory, type ReasonCategory } from '../../lib/handoff-reasons.ts'
import type {
  CustomerProfile, HandoffFacts, HandoffPackage, PackageAction, PackageFailure, SentimentReading, TicketFields,
} from '../../storage/index.ts'
import { customerSentiment } from './sentiment.ts'
import { summarize } from './summary.ts'

export interface IntentGuess {
  intent: string
  confidence: number
}

export interface EscalationReason {
  turnId?: string
  reason: string
  detail?: string
}

const OUT_OF_SCOPE = 'out_of_scope'
const MAX_OUTCOME_CHARS = 300
// Categories a policy decides: their package is incomplete without the rule that decided.
const POLICY_CATEGORIES: ReadonlySet<ReasonCategory> = new Set(['guardrail', 'budget', 'policy_restriction', 'approval_needed'])

/** The conversation's intent: the most confident in-scope reading of any customer message. */
function intentOf(texts: string[], classify: (text: string) => IntentGuess): HandoffPackage['intent'] {
  const guesses = texts.map(classify)
  const inScope = guesses.filter((g) => g.intent !== OUT_OF_SCOPE).sort((a, b) => b.confidence - a.confidence)[0]
  const best = inScope ?? guesses.sort((a, b) => b.confidence - a.confidence)[0]
  return { name: inScope?.intent ?? OUT_OF_SCOPE, confidence: Math.round((best?.confidence ?? 0) * 100) / 100 }
}

/** What the console may show of the customer: the identities and name the channel gave, nothing from tool results. */
function profileOf(facts: HandoffFacts): CustomerProfile {
  const identity = (kind: string) => facts.identities.find((i) => i.kind === kind)?.value ?? null
  const given = (facts.conversation.metadata.customer ?? {}) as Record<string, unknown>
  const text = (v: unknown) => (typeof v === 'string' && v.length > 0 ? v : null)
  return {
    customerId: facts.conversation.customerId,
    name: text(given.name),
    email: identity('email') ?? text(given.email),
    phone: identity('phone') ?? text(given.phone),
    externalId: identity('external') ?? text(given.externalId),
    channel: facts.conversation.channel,
    conversations: facts.customerConversations,
    customerSince: facts.customerSince?.toISOString() ?? null,
  }
}

const shorten = (value: unknown): string => {
  const text = typeof value === 'string' ? value : JSON.stringify(value)
  return text.length > MAX_OUTCOME_CHARS ? `${text.slice(0, MAX_OUTCOME_CHARS - 1)}…` : text
}

type ModelStepResult = { toolCalls?: { id: string; name: string; arguments: Record<string, unknown> }[] }
type ReplyResult = { transcript?: { role: string; toolCallId?: string; text: string; isError?: boolean }[] }

/** Every tool call the model asked for, with its outcome: a recorded write, a result kept in the turn's transcript, or none. */
function actionsOf(facts: HandoffFacts): PackageAction[] {
  const writes = new Map(facts.toolCalls.map((c) => [c.idempotencyKey, c]))
  const results = new Map(facts.steps.filter((s) => s.step === 'reply')
    .flatMap((s) => ((s.result as ReplyResult).transcript ?? []).filter((t) => t.role === 'tool').map((t) => [`${s.turnId}.${t.toolCallId}`, t] as const)))
  return facts.steps.filter((s) => /^model\.\d+$/.test(s.step)).flatMap((s) => ((s.result as ModelStepResult).toolCalls ?? []).map((call) => {
    const write = writes.get(`${s.turnId}.tool.${call.id}`)
    const read = results.get(`${s.turnId}.${call.id}`)
    const ok = write?.ok ?? (read ? !read.isError : null)
    const outcome = write?.result !== undefined && write.result !== null ? shorten(write.result) : read ? shorten(read.text) : null
    return { tool: call.name, arguments: call.arguments, ok, outcome, turnId: s.turnId }
  }))
}

function failuresOf(facts: HandoffFacts, actions: PackageAction[], e: EscalationReason, category: ReasonCategory): PackageFailure[] {
  const failed: PackageFailure[] = actions.filter((a) => a.ok === false).map((a) => ({ what: `tool ${a.tool}`, detail: a.outcome ?? 'failed' }))
  for (const s of facts.steps.filter((x) => x.step === 'guardrail.input')) {
    const v = s.result as { verdict: string; rule: string; reason: string }
    if (v.verdict !== 'allow') failed.push({ what: `guardrail ${v.rule} (${v.verdict})`, detail: v.reason })
  }
  if (category === 'system_failure' || category === 'tool_failure' || e.reason === 'agent.step_limit') {
    failed.push({ what: e.reason, detail: e.detail ?? 'no detail recorded' })
  }
  return failed
}

/** The rule that decided: the input guardrail's verdict, or a `(<source> policy <version>, rule <rule>)` in the detail. */
function policyRuleOf(facts: HandoffFacts, e: EscalationReason): HandoffPackage['policyRule'] {
  if (e.reason === 'guardrail.escalated') {
    const step = facts.steps.find((s) => s.step === 'guardrail.input' && (!e.turnId || s.turnId === e.turnId))
    const v = step?.result as { rule?: string; policyVersion?: string } | undefined
    if (v?.rule) return { source: 'guardrail', policyVersion: v.policyVersion ?? null, rule: v.rule }
  }
  const named = /\((\w+) policy ([^,()]+), rule ([^()]+)\)/.exec(e.detail ?? '')
  return named ? { source: named[1]!, policyVersion: named[2]!.trim(), rule: named[3]!.trim() } : null
}

function ticketOf(intent: string, sentiment: SentimentReading, category: ReasonCategory): TicketFields {
  const pressing = category === 'tool_failure' || category === 'approval_needed' || category === 'system_failure'
  const priority = sentiment.label === 'negative' && sentiment.trend === 'worsening' ? 'urgent'
    : sentiment.label === 'negative' || pressing ? 'high'
    : sentiment.label === 'positive' && category === 'customer_asked' ? 'low' : 'normal'
  return { intent, priority, sentiment: sentiment.label }
}

function completenessOf(p: Omit<HandoffPackage, 'completeness' | 'builtAt' | 'version'>, customerTexts: string[]): HandoffPackage['completeness'] {
  const checks: Record<string, boolean> = {
    summary: customerTexts.length > 0,
    intent: p.intent.name !== OUT_OF_SCOPE,
    customer: p.customer.customerId !== null || p.customer.email !== null || p.customer.phone !== null,
    actions: p.reason.category !== 'tool_failure' || p.actions.some((a) => a.ok === false) || p.failures.length > 0,
    policyRule: !POLICY_CATEGORIES.has(p.reason.category) || p.policyRule !== null,
  }
  const missing = Object.keys(checks).filter((k) => !checks[k])
  return { score: Math.round(((Object.keys(checks).length - missing.length) / Object.keys(checks).length) * 100) / 100, missing }
}

/**
 * @example buildHandoffPackage(await storage.handoffPackages.facts(id), { reason: 'agent.escalated', detail: 'customer_requested_human' }, classify, new Date())
 */
export function buildHandoffPackage(facts: HandoffFacts, e: EscalationReason, classify: (text: string) => IntentGuess, now: Date): HandoffPackage {
  const category = reasonCategory(e.reason, e.detail)
  const customerTexts = facts.messages.filter((m) => m.role === 'customer').map((m) => m.text)
  const intent = intentOf(customerTexts, classify)
  const sentiment = customerSentiment(customerTexts)
  const actions = actionsOf(facts)
  const label = REASON_CATEGORY_LABELS[category]
  const body = {
    reason: { code: e.reason, detail: e.detail ?? null, category, label },
    policyRule: policyRuleOf(facts, e),
    summary: summarize(customerTexts, actions, label),
    intent, sentiment, customer: profileOf(facts), actions,
    failures: failuresOf(facts, actions, e, category),
    ticket: ticketOf(intent.name, sentiment, category),
  }
  return { version: 1, ...body, completeness: completenessOf(body, customerTexts), builtAt: now.toISOString() }
}
