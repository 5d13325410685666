// Pure policy: guardrail, routing and escalation rules. No I/O, no clock, no randomness.
export { judge, containsCardNumber, GUARDRAIL_POLICY_VERSION, type GuardrailVerdict } from './guardrails/index.ts'
export { redactPii } from './guardrails/index.ts'
export { detectInjection, INJECTION_THRESHOLD, type ContentChannel, type InjectionResult } from './guardrails/index.ts'
export { checkGrounding, extractClaims, indexContext, type GroundingContext, type GroundingResult } from './guardrails/index.ts'
/**
 * Routing policy (YAML file or RoutingPolicy custom resource): schema, parsing with path-naming errors,
 * rule matching, weighted splits, the price table and budget degradation.
 * @example const policy = loadRoutingPolicy(text); policy.route({ agent: 'retail', intent: 'track_order' }, 0.5)
 */
export { loadRoutingPolicy, parseRoutingPolicy } from './routing/parse-routing-policy.ts'
export { compileRoutingPolicy } from './routing/compiled-policy.ts'
export type { CompiledRoutingPolicy, ModelTarget, ProviderSettings, RouteDecision } from './routing/compiled-policy.ts'
export { RoutingPolicy, RoutingPolicySpec, ROUTING_API_VERSION } from './routing/routing-policy.ts'
export { matches, resolveTarget, type RouteFacts } from './routing/route-match.ts'
export { costUsd, estimateTokens, type BilledTokens } from './routing/prices.ts'
export { applyBudget, budgetStatus, BUDGET_SCOPES, type BudgetPlan, type BudgetScope, type BudgetSpend, type BudgetStatus } from './routing/budget.ts'
/** The RoutingPolicy CRD built from the schema (k8s/crds/routing-policy.yaml is its YAML). */
export { routingPolicyCrd } from './routing/routing-crd.ts'
