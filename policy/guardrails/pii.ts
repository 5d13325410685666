// Personal data in text: email addresses, phone numbers, payment card numbers (Luhn-checked) and street
// addresses. Finds them, redacts them to stable placeholders with a reversible mapping, and restores real
// values (for example in a model's tool-call arguments). Pure: no I/O, no clock, no randomness.
import type { CheckResult } from '../../lib/guardrail-check.ts'

export type PiiKind = 'email' | 'phone' | 'card' | 'address'

export interface PiiSpan {
  kind: PiiKind
  start: number
  end: number
  value: string
}

const EMAIL = /[^\s@<>()[\]"',;:]+@[^\s@<>()[\]"',;:]+\.[A-Za-z]{2,}/g
// 13–19 digits with optional single separators.
const CARD = /(?<![\w.])(?:\d[ -]?){12,18}\d(?![\w])/g
// Digits with the usual separators, optionally international; amounts ($, decimals), ids after # or _ are not.
const PHONE = /(?<![\w#$.,])(?:\+\d{1,3}[ .-]?)?(?:\(\d{2,4}\)[ .-]?)?\d[\d .-]{5,}\d(?![\w])/g
const PHONE_CONTEXT = /\b(?:phone|call|tel|telephone|mobile|cell|whatsapp|text me|sms)\b[^\n]{0,20}$/i
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/
// Street types in lower or title case; street names are words that are not function words ("2 items for the way").
const STREET = `(?:${'street st avenue ave road rd drive dr lane ln boulevard blvd court ct way place pl terrace circle cir parkway pkwy highway hwy square sq trail loop row'
  .split(' ').map((w) => `[${w[0]!.toUpperCase()}${w[0]}]${w.slice(1)}`).join('|')})`
const NAME_WORD = "(?!(?:the|for|a|an|to|of|my|your|in|on|and|or|with|is|it|by|at|from|this|that)\\b)[A-Za-z][A-Za-z'.-]*"

const UNIT = '(?:,?\\s+(?:[Ss]uite|[Ss]te|[Aa]pt|[Aa]partment|[Uu]nit|[Ff]loor|[Ff]l|#)\\.?\\s*[\\w-]+)?'
const CITY_STATE_ZIP = '(?:,\\s*[A-Z][a-zA-Z .]+,\\s*[A-Z]{2}(?:\\s+\\d{5}(?:-\\d{4})?)?)?'
const ADDRESS = new RegExp(`\\b\\d{1,6}\\s+(?:${NAME_WORD}\\s+){1,3}${STREET}\\b\\.?${UNIT}${CITY_STATE_ZIP}`, 'g')

export function luhn(digits: string): boolean {
  let sum = 0
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i])
    if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2
    sum += d
  }
  return sum % 10 === 0
}

/** Luhn-valid, with a payment network's leading digit (2–6: Mastercard, Visa, Amex, Discover, …). */
function isCardNumber(digits: string): boolean {
  return /^[2-6]/.test(digits) && luhn(digits)
}

function isPhone(text: string, start: number, candidate: string): boolean {
  const digits = candidate.replace(/\D/g, '').length
  if (digits < 7 || digits > 15 || ISO_DATE.test(candidate)) return false
  // A bare run of digits is an id (items, products) unless it is written as a phone number or called one.
  const formatted = /[ ().+-]/.test(candidate)
  return formatted || PHONE_CONTEXT.test(text.slice(Math.max(0, start - 40), start))
}

function collect(text: string, kind: PiiKind, pattern: RegExp, accept: (value: string, start: number) => boolean): PiiSpan[] {
  const spans: PiiSpan[] = []
  for (const m of text.matchAll(pattern)) {
    const start = m.index ?? 0
    if (accept(m[0], start)) spans.push({ kind, start, end: start + m[0].length, value: m[0] })
  }
  return spans
}

/** Every personal-data span, in text order; where two overlap, the earlier-listed kind wins (card, email, address, phone). */
export function findPii(text: string): PiiSpan[] {
  const candidates = [
    ...collect(text, 'card', CARD, (v) => isCardNumber(v.replace(/\D/g, ''))),
    ...collect(text, 'email', EMAIL, () => true),
    ...collect(text, 'address', ADDRESS, () => true),
    ...collect(text, 'phone', PHONE, (v, start) => isPhone(text, start, v)),
  ]
  const kept: PiiSpan[] = []
  for (const span of candidates) {
    if (!kept.some((k) => span.start < k.end && k.start < span.end)) kept.push(span)
  }
  return kept.sort((a, b) => a.start - b.start)
}

export function containsCardNumber(text: string): boolean {
  return findPii(text).some((s) => s.kind === 'card')
}
