// Pure guardrail rules for customer input and agent output: no I/O, no clock, no randomness.
// Each verdict names the rule and the policy version that made it, for the audit trail.

export interface GuardrailVerdict {
  verdict: 'allow' | 'block' | 'escalate'
  rule: string
  reason: string
  policyVersion: string
}

export const GUARDRAIL_POLICY_VERSION = 'builtin-2026.11.1'

interface Rule {
  name: string
  stage: 'input' | 'output' | 'both'
  test: (text: string) => boolean
  verdict: GuardrailVerdict['verdict']
  reason: string
}

const INJECTION = /\b(ignore|disregard|forget)\b.{0,40}\b(previous|prior|above|all)\b.{0,20}\b(instructions?|rules|prompts?)\b|\bsystem prompt\b|\byou are now\b/i
// 13–19 digits with optional separators that pass the Luhn check: a payment card number.
const CARD_CANDIDATE = /\b(?:\d[ -]?){13,19}\b/g

function luhn(digits: string): boolean {
  let sum = 0
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i])
    if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2
    sum += d
  }
  return sum % 10 === 0
}

export function containsCardNumber(text: string): boolean {
  return [...text.matchAll(CARD_CANDIDATE)].some((m) => luhn(m[0].replace(/[ -]/g, '')))
}

const rules: Rule[] = [
  { name: 'prompt_injection', stage: 'input', test: (t) => INJECTION.test(t), verdict: 'escalate', reason: 'the message tries to change the agent instructions' },
  { name: 'card_number', stage: 'both', test: containsCardNumber, verdict: 'block', reason: 'the text contains a payment card number' },
]

/** The first matching rule decides; no match allows. */
export function judge(stage: 'input' | 'output', text: string): GuardrailVerdict {
  for (const rule of rules) {
    if ((rule.stage === stage || rule.stage === 'both') && rule.test(text)) {
      return { verdict: rule.verdict, rule: rule.name, reason: rule.reason, policyVersion: GUARDRAIL_POLICY_VERSION }
    }
  }
  return { verdict: 'allow', rule: 'default', reason: 'no rule matched', policyVersion: GUARDRAIL_POLICY_VERSION }
}
