// Grading of Arena trials: task success by final database state and required outputs, assertions, and the
// counts the report aggregates (wrong writes, violations, escalations, grounding, cost, latency).

/**
 * Grades one trial from the conversation's evidence and the sandbox digests.
 * @example
 * const result = gradeTrial(scenario, { evidence, digest, goldDigest, latencyMs, turns })
 */
export { gradeTrial, unplayedTrial, mentions, sameCall, sameArgs, type TrialEvidence } from './grade-trial.ts'
export type { TrialResult, AssertionOutcome, EscalationVerdict } from './trial-result.ts'
/** Natural-language assertions compiled into deterministic checks (the rest stay ungraded). */
export { assertNlCompiles, compileNlAssertion, judgeNl, type NlCheck } from './nl-assertions.ts'
