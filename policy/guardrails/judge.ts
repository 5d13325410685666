// The original one-call guardrail, kept for its callers (the conversation turn and the guardrail pool):
// `judge(stage, text)` now runs the injection and PII checks and answers in the old verdict shape.
import { detectInjection } from './injection.ts'
import { checkPii } from './pii-redaction.ts'

export interface GuardrailVerdict {
  verdict: 'allow' | 'block' | 'escalate'
  rule: string
  reason: string
  policyVersion: string
}

export const GUARDRAIL_POLICY_VERSION = 'builtin-2026.12.1'

/** A card number blocks (input and output); an injection in a customer message escalates; else allow. */
export function judge(stage: 'input' | 'output', text: string): GuardrailVerdict {
  const policyVersion = GUARDRAIL_POLICY_VERSION
  const pii = checkPii(text)
  if (pii.verdict === 'block') return { verdict: 'block', rule: 'card_number', reason: pii.reason, policyVersion }
  if (stage === 'input') {
    const injection = detectInjection(text, 'message')
    if (injection.verdict !== 'allow') return { verdict: 'escalate', rule: 'prompt_injection', reason: injection.reason, policyVersion }
  }
  return { verdict: 'allow', rule: 'default', reason: 'no rule matched', policyVersion }
}
