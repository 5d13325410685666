// PII redaction for text that leaves the conversation (trace attributes, exports): payment cards, email
// addresses and phone numbers become placeholders. Pure: no I/O, no clock, no randomness.
import { containsCardNumber } from './guardrails.ts'

const CARD_CANDIDATE = /\b(?:\d[ -]?){13,19}\b/g
const EMAIL = /[^\s@<>()[\]"',;:]+@[^\s@<>()[\]"',;:]+\.[A-Za-z]{2,}/g
// Digits with the usual separators, optionally international; 7–15 digits (E.164's maximum) make a phone
// number, which skips short ids, order numbers after '#', and ISO dates.
const PHONE = /(?<![\w#])\+?\d[\d ().-]{5,}\d(?!\w)/g
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/

function isPhone(candidate: string): boolean {
  const digits = candidate.replace(/\D/g, '').length
  return digits >= 7 && digits <= 15 && !ISO_DATE.test(candidate)
}

/** Replaces card numbers (Luhn-valid), email addresses and phone numbers with `[card]`, `[email]`, `[phone]`. */
export function redactPii(text: string): string {
  return text
    .replace(CARD_CANDIDATE, (m) => (containsCardNumber(m) ? '[card]' : m))
    .replace(EMAIL, '[email]')
    .replace(PHONE, (m) => (isPhone(m) ? '[phone]' : m))
}
