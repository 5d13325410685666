// Grades one trial from what the conversation did. Tasks (τ²-bench): the sandbox's final state equals the state
// the gold actions leave, and the agent stated every required output. Hand-written and recorded scenarios:
// every assertion holds. Pure: the evidence is read by the lane, the digests computed there.
import type { ConversationEvidence } from '../../storage/index.ts'
import { goldActions, requiredOutputs, type ArenaScenario, type Assertions, type GoldAction } from '../scenarios/index.ts'
import { compileNlAssertion, judgeNl, type NlFacts } from './nl-assertions.ts'
import type { AssertionOutcome, EscalationVerdict, TrialResult } from './trial-result.ts'

export interface TrialEvidence {
  evidence: ConversationEvidence
  /** Digest of the sandbox after the conversation. */
  digest: string
  /** Digest of the sandbox after the gold actions (tasks only). */
  goldDigest?: string
  latencyMs: number[]
  turns: number
  warnings?: string[]
}

const HANDOFF_TOOLS = new Set(['transfer_to_human_agents', 'transfer_to_human'])

export function gradeTrial(scenario: ArenaScenario, run: TrialEvidence): TrialResult {
  const e = run.evidence
  const agentText = e.transcript.filter((m) => m.role === 'assistant').map((m) => m.text).join('\n')
  const ran = e.toolCalls.filter((c) => c.ok === true)
  const base = {
    escalated: e.escalated,
    ...(e.handoff ? { handoff: e.handoff } : {}),
    groundingFailures: e.groundingFailures,
    costUsd: e.costUsd,
    tokens: { input: e.inputTokens, output: e.outputTokens },
    latencyMs: run.latencyMs,
    turns: run.turns,
    policyVersion: e.decisions.find((d) => d.policyVersion)?.policyVersion ?? null,
    transcript: e.transcript,
    calls: e.requested,
    ...(run.warnings?.length ? { warnings: run.warnings } : {}),
  }
  const caught = e.decisions.filter((d) => d.outcome === 'deny').length
  if (scenario.kind === 'task') {
    const gold = goldActions(scenario.task)
    const wrongWrites = ran.filter((c) => !gold.some((g) => sameCall(g, c))).map(({ tool, args }) => ({ tool, args }))
    const dbMatch = run.goldDigest !== undefined && run.digest === run.goldDigest
    const missingOutputs = requiredOutputs(scenario.task).filter((o) => !mentions(agentText, o))
    const failures = [
      ...(dbMatch ? [] : ['the final database state differs from the gold actions\'']),
      ...missingOutputs.map((o) => `did not state "${o}"`),
    ]
    const needed = gold.some((g) => HANDOFF_TOOLS.has(g.name))
    return {
      ...base, success: failures.length === 0, failures, dbMatch, missingOutputs, assertions: [], wrongWrites,
      nlAssertions: taskNlAssertions(scenario.task.evaluation_criteria?.nl_assertions ?? [], nlFacts(e, agentText)),
      violations: { caught, missed: wrongWrites.length }, escalation: escalationVerdict(needed, e.escalated),
    }
  }
  const assertions = checkAssertions(scenario.assertions, e, agentText)
  const forbidden = new Set(scenario.assertions.mustNotCall ?? [])
  const wrongWrites = ran.filter((c) => forbidden.has(c.tool)).map(({ tool, args }) => ({ tool, args }))
  const failures = assertions.filter((a) => !a.passed).map((a) => `${a.assertion}${a.detail ? `: ${a.detail}` : ''}`)
  return {
    ...base, success: failures.length === 0, failures, dbMatch: null, missingOutputs: [], assertions, wrongWrites,
    violations: { caught, missed: wrongWrites.length },
    escalation: scenario.assertions.mustEscalate !== undefined || scenario.assertions.mustNotEscalate !== undefined
      ? escalationVerdict(scenario.assertions.mustEscalate === true, e.escalated)
      : e.escalated ? 'unjudged' : 'none',
  }
}

function checkAssertions(a: Assertions, e: ConversationEvidence, agentText: string): AssertionOutcome[] {
  const asked = new Set(e.requested.map((c) => c.tool))
  const ran = new Set(e.toolCalls.filter((c) => c.ok === true).map((c) => c.tool))
  const out: AssertionOutcome[] = []
  for (const tool of a.mustCall ?? []) out.push({ assertion: `must call ${tool}`, passed: asked.has(tool) })
  for (const tool of a.mustNotCall ?? []) {
    const detail = ran.has(tool) ? 'it ran' : asked.has(tool) ? 'asked for, refused by the platform' : undefined
    out.push({ assertion: `must not call ${tool}`, passed: !ran.has(tool) && !asked.has(tool), ...(detail ? { detail } : {}) })
  }
  for (const sentence of a.nl ?? []) {
    const check = compileNlAssertion(sentence)
    // Refused when the scenario was saved; a spec written by hand around that still gets an honest failure.
    out.push(check ? { assertion: sentence, ...judgeNl(check, nlFacts(e, agentText)) } : { assertion: sentence, passed: false, detail: 'no deterministic check for this sentence' })
  }
  if (a.mustEscalate) out.push({ assertion: 'must escalate', passed: e.escalated })
  if (a.mustNotEscalate) out.push({ assertion: 'must not escalate', passed: !e.escalated })
  for (const phrase of a.mustMention ?? []) out.push({ assertion: `must mention "${phrase}"`, passed: mentions(agentText, phrase) })
  for (const phrase of a.mustNotMention ?? []) out.push({ assertion: `must not mention "${phrase}"`, passed: !mentions(agentText, phrase) })
  return out
}

const nlFacts = (e: ConversationEvidence, agentText: string): NlFacts => ({ agentText, asked: new Set(e.requested.map((c) => c.tool)), escalated: e.escalated, mentions })

/** A task's natural-language assertions: graded where a deterministic check compiles, listed as ungraded otherwise. */
function taskNlAssertions(sentences: string[], facts: NlFacts): NonNullable<TrialResult['nlAssertions']> {
  const graded: AssertionOutcome[] = []
  const ungraded: string[] = []
  for (const sentence of sentences) {
    const check = compileNlAssertion(sentence)
    if (check) graded.push({ assertion: sentence, ...judgeNl(check, facts) })
    else ungraded.push(sentence)
  }
  return { graded, ungraded }
}

function escalationVerdict(needed: boolean, escalated: boolean): EscalationVerdict {
  if (needed) return escalated ? 'needed' : 'missed'
  return escalated ? 'needless' : 'none'
}

/** τ²-bench's output check: the value appears in the agent's words, ignoring case and thousands separators. */
export function mentions(text: string, value: string): boolean {
  const norm = (s: string) => s.toLowerCase().replace(/(\d),(\d)/g, '$1$2')
  return norm(text).includes(norm(value))
}

/** The same tool with the same arguments (key order and the order of id lists do not matter). */
export function sameCall(gold: GoldAction, call: { tool: string; args: Record<string, unknown> }): boolean {
  return gold.name === call.tool && sameArgs(gold.arguments, call.args)
}

/** The same arguments, whatever the key order and the order of id lists. */
export const sameArgs = (a: unknown, b: unknown): boolean => canonical(a) === canonical(b)

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).sort().join(',')}]`
  if (value && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(',')}}`
  }
  return JSON.stringify(value)
}

/** The result of a trial that could not be played to its end. */
export function unplayedTrial(error: string): TrialResult {
  return {
    success: false, failures: [`not played: ${error}`], error, dbMatch: null, missingOutputs: [], assertions: [], wrongWrites: [],
    violations: { caught: 0, missed: 0 }, escalation: 'none', escalated: false, groundingFailures: 0, costUsd: 0,
    tokens: { input: 0, output: 0 }, latencyMs: [], turns: 0, policyVersion: null, transcript: [], calls: [],
  }
}
