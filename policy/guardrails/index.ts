// The guardrail checks: pure functions over text and the turn's context. No I/O, no clock, no randomness.
export { detectInjection, INJECTION_THRESHOLD, type ContentChannel, type InjectionResult } from './injection.ts'
