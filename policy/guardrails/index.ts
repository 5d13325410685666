// The guardrail checks: pure functions over text and the turn's context. No I/O, no clock, no randomness.
export { detectInjection, INJECTION_THRESHOLD, type ContentChannel, type InjectionResult } from './injection.ts'
export { findPii, containsCardNumber, luhn, type PiiKind, type PiiSpan } from './pii.ts'
export { checkPii, redactPii, redactWithMapping, restoreArguments, restorePii, type PiiMapping, type PiiResult, type Redacted } from './pii-redaction.ts'
export { extractClaims, ORDER_STATUSES, type Claim, type ClaimKind } from './claims.ts'
export { indexContext, type GroundingContext, type GroundingIndex } from './grounding-context.ts'
export { checkGrounding, type GroundingOptions, type GroundingResult, type UnsupportedClaim } from './grounding.ts'
export { judge, GUARDRAIL_POLICY_VERSION, type GuardrailVerdict } from './judge.ts'
