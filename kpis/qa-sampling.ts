// Which AI-handled conversations go to QA review today: a stratified sample, a fixed number per conversation type
// and maturity level, drawn by weighted sampling without replacement (Efraimidis–Spirakis keys) so low-confidence
// and low-CSAT conversations are over-sampled. Pure and reproducible: the randomness comes from a seed.

export interface QaCandidate {
  conversationId: string
  intent: string | null
  mode: string | null
  /** The lowest intent confidence of its turns; null when never classified. */
  confidence: number | null
  csat: number | null
}

export interface QaSamplingOptions {
  /** Conversations per (intent, mode) stratum. @defaultValue 5 */
  perStratum: number
  /** Below this confidence a conversation weighs `oversample` times more. @defaultValue 0.6 */
  lowConfidenceBelow: number
  /** At or below this CSAT a conversation weighs `oversample` times more. @defaultValue 2 */
  lowCsatAtMost: number
  /** @defaultValue 4 */
  oversample: number
}

export const DEFAULT_QA_SAMPLING: QaSamplingOptions = Object.freeze({ perStratum: 5, lowConfidenceBelow: 0.6, lowCsatAtMost: 2, oversample: 4 })

export type QaSampleReason = 'random' | 'low_confidence' | 'low_csat'

export interface QaSample {
  conversationId: string
  stratum: string
  reason: QaSampleReason
}

/** mulberry32: a small seeded generator, enough for sampling. */
function generator(seed: string): () => number {
  let a = [...seed].reduce((h, ch) => Math.imul(h ^ ch.charCodeAt(0), 2654435761) >>> 0, 0x9e3779b9)
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function reasonOf(c: QaCandidate, o: QaSamplingOptions): QaSampleReason {
  if (c.csat !== null && c.csat <= o.lowCsatAtMost) return 'low_csat'
  if (c.confidence !== null && c.confidence < o.lowConfidenceBelow) return 'low_confidence'
  return 'random'
}

export function sampleForQa(candidates: readonly QaCandidate[], seed: string, o: QaSamplingOptions = DEFAULT_QA_SAMPLING): QaSample[] {
  const random = generator(seed)
  const strata = new Map<string, Array<{ c: QaCandidate; key: number; reason: QaSampleReason }>>()
  // candidates in a stable order, so the same seed draws the same sample whatever order storage returned
  for (const c of [...candidates].sort((a, b) => a.conversationId.localeCompare(b.conversationId))) {
    const stratum = `${c.intent ?? 'unclassified'}/${c.mode ?? 'unknown'}`
    const reason = reasonOf(c, o)
    const weight = (c.csat !== null && c.csat <= o.lowCsatAtMost ? o.oversample : 1)
      * (c.confidence !== null && c.confidence < o.lowConfidenceBelow ? o.oversample : 1)
    const list = strata.get(stratum) ?? []
    list.push({ c, key: random() ** (1 / weight), reason })
    strata.set(stratum, list)
  }
  const out: QaSample[] = []
  for (const [stratum, list] of [...strata].sort(([a], [b]) => a.localeCompare(b))) {
    for (const { c, reason } of list.sort((a, b) => b.key - a.key).slice(0, o.perStratum)) out.push({ conversationId: c.conversationId, stratum, reason })
  }
  return out
}
