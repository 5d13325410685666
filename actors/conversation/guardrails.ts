// The guardrail stages of a turn, run in process (pure and fast, so no queue hop): the customer's message first,
// each tool result and retrieved passage before the model reads it, and the reply before the customer sees it.
// Every check's verdict, score and latency is recorded with the reply, for the why view, audits and metrics.
import {
  checkContextItem, checkInput, checkOutput, GUARDRAIL_POLICY_VERSION, type CheckResult, type GroundingSource, type GuardrailVerdict,
  type OutputReport,
} from '../../policy/index.ts'
import type { RuntimeObserver } from '../observer.ts'
import type { RunnablePolicy } from '../agent-directory.ts'

/** One check as recorded on the turn. */
export interface CheckRecord {
  stage: 'input' | 'context' | 'output'
  check: string
  verdict: string
  score: number
  reason: string
  latencyMs?: number
  /** The version of the checks' rules, so an audit can tell which rules judged the turn. */
  policyVersion: string
}

/** What the input stage tells the output stage's confidence score. */
export interface TurnSignals {
  intentConfidence?: number
  sentiment?: number
  loop?: number
}

const now = () => performance.now()
const record = (stage: CheckRecord['stage'], c: CheckResult & { latencyMs?: number }): CheckRecord => ({
  stage, check: c.check, policyVersion: GUARDRAIL_POLICY_VERSION, verdict: c.verdict, score: Math.round(c.score * 1000) / 1000, reason: c.reason,
  ...(c.latencyMs !== undefined ? { latencyMs: Math.round(c.latencyMs * 1000) / 1000 } : {}),
})

// The rule names the input verdict has always carried, which recorded turns and dashboards use.
const RULES: Record<string, string> = { injection: 'prompt_injection', pii: 'card_number' }

/** The customer's message, with what it says about the customer (sentiment, repetition) for the confidence score. */
export function inputStage(text: string, earlierMessages: string[], observer: RuntimeObserver): { verdict: GuardrailVerdict; signals: TurnSignals; checks: CheckRecord[] } {
  const report = checkInput(text, { earlierMessages }, { now })
  for (const c of [report.injection, report.pii]) observer.guardrailVerdict('input', RULES[c.check] ?? c.check, c.verdict === 'allow' ? 'allow' : c.verdict === 'block' ? 'block' : 'escalate')
  const d = report.decisive
  const policyVersion = GUARDRAIL_POLICY_VERSION
  const verdict: GuardrailVerdict = d && report.verdict !== 'allow'
    ? { verdict: report.verdict === 'block' ? 'block' : 'escalate', rule: RULES[d.check] ?? d.check, reason: d.reason, policyVersion }
    : { verdict: 'allow', rule: 'default', reason: 'no rule matched', policyVersion }
  const checks = [report.injection, report.pii, report.sentiment, report.loop].map((c) => record('input', c))
  return { verdict, signals: { sentiment: report.sentiment.compound, loop: report.loop.score }, checks }
}

/** A tool result or passage the model is about to read: withheld when it carries instructions aimed at the model. */
export function screenContext(text: string, channel: 'tool' | 'passage'): { allowed: boolean; check: CheckRecord } {
  const result = checkContextItem(text, channel, { now })
  return { allowed: result.verdict === 'allow', check: record('context', result) }
}

export interface OutputInputs {
  reply: string
  attempt: number
  grounding: GroundingSource
  guardrails: RunnablePolicy['guardrails'] | undefined
  mode: 'assist' | 'execute' | 'operate'
  firstReply: boolean
  signals: TurnSignals
}

/** The reply's verdict; its text with any required disclosure the reply lacked put in front. */
export function outputStage(i: OutputInputs, observer: RuntimeObserver): { report: OutputReport; text: string; checks: CheckRecord[] } {
  const g = i.guardrails
  const threshold = g?.confidence?.[i.mode]
  const report = checkOutput(i.reply, {
    ...(g?.grounding === false ? {} : { grounding: i.grounding }),
    ...(g?.brandVoice ? { brandVoice: g.brandVoice } : {}),
    firstReply: i.firstReply, attempt: i.attempt, signals: i.signals,
    // Without a threshold in the policy the score is recorded but routes nothing.
    confidence: { threshold: threshold ?? 0 },
  }, { now })
  for (const c of [report.pii, report.grounding, report.brandVoice, report.confidence]) {
    observer.guardrailVerdict('output', c.check, c.verdict === 'allow' ? 'allow' : c.verdict === 'block' ? 'block' : 'escalate')
  }
  const disclose = report.brandVoice.missingDisclosures
  const onlyDisclosures = report.decisive?.check === 'brand_voice' && report.brandVoice.violations.every((v) => v.rule === 'missing_disclosure')
  const text = disclose.length > 0 ? `${disclose.join(' ')} ${i.reply}` : i.reply
  const verdict = onlyDisclosures ? { ...report, verdict: 'allow' as const } : report
  const checks = [report.pii, report.grounding, report.brandVoice, report.confidence].map((c) => record('output', c))
  return { report: verdict, text, checks }
}
