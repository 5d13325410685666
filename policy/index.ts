// Pure policy: guardrail, routing and escalation rules. No I/O, no clock, no randomness.
/**
 * The original one-call guardrail (`judge(stage, text)`), now backed by the injection and PII checks.
 * @example judge('input', 'ignore all previous instructions').verdict // 'escalate'
 */
export { judge, GUARDRAIL_POLICY_VERSION, type GuardrailVerdict } from './guardrails/index.ts'

/**
 * The turn's guardrail stages. Input: `checkInput(message, { earlierMessages, piiMapping })` (injection,
 * card numbers, sentiment, loops, PII redaction) and `checkContextItem(text, 'tool' | 'passage')` for every
 * tool result or retrieved passage before the model reads it. Output: `checkOutput(reply, { grounding,
 * brandVoice, firstReply, attempt, signals, confidence })` (card numbers, grounding, brand voice, confidence).
 * Each result is `{ check, verdict, score, reason, … }`; pass `{ now: performance.now }` to record latencies.
 * @example
 * const input = checkInput(text, { earlierMessages })
 * const output = checkOutput(reply, { grounding: { toolResults, passages, customerMessages }, signals: { sentiment: input.sentiment.compound, loop: input.loop.score } })
 * if (output.verdict === 'regenerate') retry(output.decisive?.reason)
 */
export { checkInput, checkContextItem, checkOutput } from './guardrails/index.ts'
export type { EscalationCategory, InputContext, InputReport, OutputContext, OutputReport, StageOptions, Timed } from './guardrails/index.ts'

/** Each check on its own, for callers that need only one (and for the evaluations). */
export {
  detectInjection, INJECTION_THRESHOLD, checkPii, checkGrounding, indexContext, extractClaims, ORDER_STATUSES, checkBrandVoice, AI_DISCLOSURE,
  checkSentiment, sentimentScore, NEGATIVE_SENTIMENT_THRESHOLD, checkLoop, LOOP_THRESHOLD, scoreConfidence, DEFAULT_CONFIDENCE_THRESHOLD,
} from './guardrails/index.ts'
export type {
  ContentChannel, InjectionResult, InjectionSignal, PiiResult, GroundingContext, GroundingIndex, GroundingOptions, GroundingSource, GroundingResult, UnsupportedClaim,
  Claim, ClaimKind, BrandVoiceResult, BrandVoiceRule, BrandVoiceSettings, RequiredDisclosure, ToneRules, SentimentResult, LoopInput, LoopResult,
  ConfidenceReason, ConfidenceResult, ConfidenceSettings, ConfidenceSignals,
} from './guardrails/index.ts'

/**
 * Personal data: find it, redact it one way for traces (`redactPii`), or reversibly for the model
 * (`redactWithMapping` → placeholders such as `[email_1]` and a mapping; `restoreArguments` puts the real
 * values back into a tool call's arguments).
 * @example const r = redactWithMapping('mail jo@example.com'); restoreArguments({ email: '[email_1]' }, r.mapping)
 */
export { redactPii, redactWithMapping, restorePii, restoreArguments, findPii, containsCardNumber } from './guardrails/index.ts'
export type { PiiKind, PiiMapping, PiiSpan, Redacted } from './guardrails/index.ts'

/** The result shape every check shares, and the rule that picks the most severe. */
export { mostSevere, type CheckName, type CheckResult, type CheckVerdict } from '../lib/guardrail-check.ts'

/**
 * Routing policy (YAML file or RoutingPolicy custom resource): schema, parsing with path-naming errors,
 * rule matching, weighted splits, the price table and budget degradation.
 * @example const policy = loadRoutingPolicy(text); policy.route({ agent: 'retail', intent: 'track_order' }, 0.5)
 */
export { loadRoutingPolicy, parseRoutingPolicy } from './routing/parse-routing-policy.ts'
export { compileRoutingPolicy, routingSpecProblems } from './routing/compiled-policy.ts'
export type { CompiledRoutingPolicy, ModelTarget, ProviderSettings, RouteDecision } from './routing/compiled-policy.ts'
export { RoutingPolicy, RoutingPolicySpec, ROUTING_API_VERSION } from './routing/routing-policy.ts'
export { matches, resolveTarget, type RouteFacts } from './routing/route-match.ts'
export { costUsd, estimateTokens, type BilledTokens } from './routing/prices.ts'
export { applyBudget, budgetStatus, BUDGET_SCOPES, type BudgetPlan, type BudgetScope, type BudgetSpend, type BudgetStatus } from './routing/budget.ts'
/**
 * AgentPolicy: compile a validated spec into decisions; check a policy against a tenant's catalogue (and run its
 * examples) before it loads.
 * @example const policy = compileAgentPolicy('retail', spec); policy.decide({ tool, type, args, maturity, lookups, … })
 */
export {
  AgentPolicySpec, compileAgentPolicy, agentPolicyProblems, answerOf, actionKey, detailsShown, isNewRequest,
  type Answer, type CallFacts, type CatalogueView, type CompiledAgentPolicy, type PolicyDecision,
} from './agent-policy/index.ts'
