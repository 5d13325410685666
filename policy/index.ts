// Pure policy: guardrail, routing and escalation rules. No I/O, no clock, no randomness.
export { judge, containsCardNumber, GUARDRAIL_POLICY_VERSION, type GuardrailVerdict } from './guardrails.ts'
