// Redaction of personal data to placeholders such as `[email_1]`, with the mapping back to real values,
// so a model never sees them and its tool-call arguments can still carry them. Pure.
import type { CheckResult } from '../../lib/guardrail-check.ts'
import { findPii, type PiiKind } from './pii.ts'

/** Placeholder → real value. Pass it back in to keep placeholders stable across a conversation. */
export type PiiMapping = Readonly<Record<string, string>>

export interface Redacted {
  text: string
  mapping: PiiMapping
  /** Kinds found in this text (each once). */
  found: PiiKind[]
}

const PLACEHOLDER = /\[(email|phone|card|address)_(\d+)\]/g

function nextIndex(mapping: PiiMapping, kind: PiiKind): number {
  let max = 0
  for (const key of Object.keys(mapping)) {
    const m = /^\[(\w+)_(\d+)\]$/.exec(key)
    if (m?.[1] === kind) max = Math.max(max, Number(m[2]))
  }
  return max + 1
}

/**
 * Replaces personal data with placeholders; the same value always gets the same placeholder.
 * @example
 * const r = redactWithMapping('mail me at jo@example.com')
 * r.text // 'mail me at [email_1]'; r.mapping // { '[email_1]': 'jo@example.com' }
 */
export function redactWithMapping(text: string, previous: PiiMapping = {}, kinds?: readonly PiiKind[]): Redacted {
  const mapping: Record<string, string> = { ...previous }
  const byValue = new Map(Object.entries(mapping).map(([k, v]) => [v, k]))
  const found = new Set<PiiKind>()
  let out = ''
  let at = 0
  for (const span of findPii(text)) {
    if (kinds && !kinds.includes(span.kind)) continue
    let placeholder = byValue.get(span.value)
    if (!placeholder) {
      placeholder = `[${span.kind}_${nextIndex(mapping, span.kind)}]`
      mapping[placeholder] = span.value
      byValue.set(span.value, placeholder)
    }
    found.add(span.kind)
    out += text.slice(at, span.start) + placeholder
    at = span.end
  }
  return { text: out + text.slice(at), mapping, found: [...found] }
}

/** Puts real values back where placeholders stand; unknown placeholders stay as they are. */
export function restorePii(text: string, mapping: PiiMapping): string {
  return text.replace(PLACEHOLDER, (p) => (Object.hasOwn(mapping, p) ? mapping[p]! : p))
}

/** `restorePii` over every string in a JSON value (a tool call's arguments), keys included. */
export function restoreArguments<T>(value: T, mapping: PiiMapping): T {
  if (typeof value === 'string') return restorePii(value, mapping) as T
  if (Array.isArray(value)) return value.map((v) => restoreArguments(v, mapping)) as T
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [restorePii(k, mapping), restoreArguments(v, mapping)])) as T
  }
  return value
}

/** One-way redaction for text that leaves the conversation (traces, exports): `[card]`, `[email]`, `[phone]`, `[address]`. */
export function redactPii(text: string): string {
  let out = ''
  let at = 0
  for (const span of findPii(text)) {
    out += `${text.slice(at, span.start)}[${span.kind}]`
    at = span.end
  }
  return out + text.slice(at)
}

export interface PiiResult extends CheckResult {
  check: 'pii'
  found: PiiKind[]
}

/**
 * Card numbers are blocked in both directions (a customer shares one, or a reply would show one); other
 * personal data is allowed and reported. `score`: 1 for a card number, 0.5 for other data, 0 for none.
 */
export function checkPii(text: string): PiiResult {
  const found = [...new Set(findPii(text).map((s) => s.kind))]
  if (found.includes('card')) {
    return { check: 'pii', verdict: 'block', score: 1, found, reason: 'the text contains a payment card number' }
  }
  return { check: 'pii', verdict: 'allow', score: found.length > 0 ? 0.5 : 0, found, reason: found.length > 0 ? `personal data: ${found.join(', ')}` : 'no personal data' }
}
