// Knowledge suggestions for the person answering: the passages of the tenant's help texts that best match the
// customer's latest message, scored with BM25 over words. Pure and in memory; the documents come from the
// composition root, and a knowledge-base search can take its place behind the same function.

export interface KnowledgeDocument {
  id: string
  title: string
  text: string
}

export interface Suggestion {
  id: string
  title: string
  passage: string
  score: number
}

/** Finds the passages that best answer a text. */
export type SuggestKnowledge = (tenantId: string, text: string, limit?: number) => Suggestion[]

interface Passage {
  id: string
  title: string
  text: string
  terms: Map<string, number>
  length: number
}

const STOP = new Set('a an and are as at be by can do for from has have i if in is it my of on or our the their this to we with you your'.split(' '))
const K1 = 1.2
const B = 0.75
const MAX_PASSAGE_CHARS = 600

const termsOf = (text: string) => (text.toLowerCase().match(/[a-z0-9]+/g) ?? []).filter((w) => w.length > 2 && !STOP.has(w))

/** Splits markdown into passages: one per paragraph or list, titled by the heading above it. */
function passagesOf(doc: KnowledgeDocument): Passage[] {
  let title = doc.title
  const out: Passage[] = []
  for (const block of doc.text.split(/\n\s*\n/)) {
    const heading = /^#+\s+(.*)$/m.exec(block)
    if (heading) title = heading[1]!.trim()
    const text = block.replace(/^#+\s+.*$/gm, '').trim()
    if (text.length < 60) continue
    const terms = new Map<string, number>()
    for (const t of termsOf(text)) terms.set(t, (terms.get(t) ?? 0) + 1)
    out.push({ id: `${doc.id}#${out.length + 1}`, title, text: text.slice(0, MAX_PASSAGE_CHARS), terms, length: termsOf(text).length })
  }
  return out
}

/**
 * @example const suggest = createKnowledgeIndex([{ id: 'policy', title: 'Policy', text }]); suggest('demo', 'refund to my card')
 */
export function createKnowledgeIndex(documents: KnowledgeDocument[]): SuggestKnowledge {
  const passages = documents.flatMap(passagesOf)
  const average = passages.reduce((n, p) => n + p.length, 0) / Math.max(1, passages.length)
  const containing = new Map<string, number>()
  for (const p of passages) for (const t of p.terms.keys()) containing.set(t, (containing.get(t) ?? 0) + 1)
  const idf = (t: string) => Math.log(1 + (passages.length - (containing.get(t) ?? 0) + 0.5) / ((containing.get(t) ?? 0) + 0.5))
  return (_tenantId, text, limit = 3) => {
    const query = [...new Set(termsOf(text))]
    const scored = passages.map((p) => ({
      p,
      score: query.reduce((sum, t) => {
        const f = p.terms.get(t) ?? 0
        return sum + (f === 0 ? 0 : idf(t) * ((f * (K1 + 1)) / (f + K1 * (1 - B + (B * p.length) / average))))
      }, 0),
    }))
    return scored.filter((s) => s.score > 0).sort((a, b) => b.score - a.score).slice(0, limit)
      .map(({ p, score }) => ({ id: p.id, title: p.title, passage: p.text, score: Math.round(score * 100) / 100 }))
  }
}
