// The result every guardrail check returns: a shared contract for policy/ (rule checks) and providers/
// (checks that need the intent model), which may not import each other. Types only.

/** What the caller should do with the text a check judged, from least to most severe. */
export type CheckVerdict = 'allow' | 'regenerate' | 'escalate' | 'block'

/** The checks; a metric label, so the set is closed. */
export type CheckName =
  | 'injection' | 'topic' | 'pii' | 'grounding' | 'brand_voice' | 'sentiment' | 'loop' | 'confidence'

/**
 * One check's judgement. `score` is in [0, 1]; each check documents its direction (for most, how strongly
 * the problem is present; for `confidence`, how confident the turn is). `reason` is for people and the
 * audit trail, and never contains the customer's personal data.
 */
export interface CheckResult {
  check: CheckName
  verdict: CheckVerdict
  score: number
  reason: string
}

const severity: Record<CheckVerdict, number> = { allow: 0, regenerate: 1, escalate: 2, block: 3 }

/** The most severe of several results (the first of equals), or `undefined` for none. */
export function mostSevere<T extends CheckResult>(results: readonly T[]): T | undefined {
  let worst: T | undefined
  for (const r of results) if (!worst || severity[r.verdict] > severity[worst.verdict]) worst = r
  return worst
}
