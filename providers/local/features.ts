// Text → sparse tf-idf vectors: word unigrams and bigrams plus character 3–5-grams (which absorb the
// typos Bitext is full of). Ids, emails and numbers become placeholder tokens so values never leak in.

/** A sparse, L2-normalised feature vector: parallel arrays of feature index and weight. */
export interface SparseVector {
  indices: Int32Array
  values: Float64Array
}

/** A fitted vocabulary with inverse document frequencies; plain data so it can be serialised. */
export interface Vectorizer {
  vocabulary: Map<string, number>
  idf: Float64Array
}

const placeholders: [RegExp, string][] = [
  [/[\w.+-]+@[\w-]+(\.[\w-]+)+/g, ' zemail '],
  [/#?\bw\d{7}\b/g, ' zorder '],
  [/\b(credit_card|gift_card|paypal)_\d+\b/g, ' zpayment '],
  [/\$?\d+([.,]\d+)?/g, ' znum '],
]
const placeholderTokens = new Set(placeholders.map(([, token]) => token.trim()))

/** Lower-cases, swaps entities for placeholders and splits into word tokens. */
export function tokenize(text: string): string[] {
  let s = text.toLowerCase()
  for (const [pattern, token] of placeholders) s = s.replace(pattern, token)
  return s.replace(/[^a-z' ]+/g, ' ').replace(/'/g, '').split(/\s+/).filter((t) => t.length > 0)
}

/** Feature names of one text, with repeats (term counts). */
export function featureNames(text: string): string[] {
  const tokens = tokenize(text)
  const out: string[] = []
  tokens.forEach((t, i) => {
    out.push(`w:${t}`)
    out.push(`b:${tokens[i - 1] ?? '^'}_${t}`)
    if (placeholderTokens.has(t)) return
    const padded = ` ${t} `
    for (let n = 3; n <= 5; n++) {
      for (let j = 0; j + n <= padded.length; j++) out.push(`c:${padded.slice(j, j + n)}`)
    }
  })
  if (tokens.length > 0) out.push(`b:${tokens[tokens.length - 1]}_$`)
  return out
}

/** Fits the vocabulary and smoothed idf from each text's feature names (see `featureNames`). */
export function fitVectorizer(documents: string[][]): Vectorizer {
  const df = new Map<string, number>()
  for (const names of documents) for (const f of new Set(names)) df.set(f, (df.get(f) ?? 0) + 1)
  const kept = [...df.entries()].sort(([a], [b]) => (a < b ? -1 : 1))
  const vocabulary = new Map<string, number>()
  const idf = new Float64Array(kept.length)
  kept.forEach(([name, count], i) => {
    vocabulary.set(name, i)
    idf[i] = Math.log((1 + documents.length) / (1 + count)) + 1
  })
  return { vocabulary, idf }
}

/** Sublinear tf × idf, L2-normalised; features outside the vocabulary are dropped. */
export function vectorize(v: Vectorizer, text: string): SparseVector {
  return vectorizeNames(v, featureNames(text))
}

/** `vectorize` for feature names already computed (training computes them once per text). */
export function vectorizeNames(v: Vectorizer, names: string[]): SparseVector {
  const counts = new Map<number, number>()
  for (const f of names) {
    const i = v.vocabulary.get(f)
    if (i !== undefined) counts.set(i, (counts.get(i) ?? 0) + 1)
  }
  const indices = Int32Array.from([...counts.keys()].sort((a, b) => a - b))
  const values = new Float64Array(indices.length)
  let norm = 0
  indices.forEach((i, k) => {
    const w = (1 + Math.log(counts.get(i) ?? 1)) * (v.idf[i] ?? 0)
    values[k] = w
    norm += w * w
  })
  if (norm > 0) for (let k = 0; k < values.length; k++) values[k] = (values[k] ?? 0) / Math.sqrt(norm)
  return { indices, values }
}

// Function words carry no topic, so they neither prove nor disprove that a text is in scope.
const stopwords = new Set(
  'the and you your for are can how what when where who why with this that have has was were from into out about some any not but all just will would could should please me my our its it'.split(' '),
)

/**
 * Share of a text's content words the vocabulary has seen, as a word or (for typos) by at least half
 * of its character trigrams. Off-topic text scores low even when a few shared words fool the model.
 */
export function knownWordRatio(v: Vectorizer, text: string): number {
  const words = tokenize(text).filter((t) => t.length >= 3 && !stopwords.has(t) && !placeholderTokens.has(t))
  if (words.length === 0) return 1
  const known = words.filter((t) => {
    if (v.vocabulary.has(`w:${t}`)) return true
    const padded = ` ${t} `
    let hits = 0
    for (let j = 0; j + 3 <= padded.length; j++) if (v.vocabulary.has(`c:${padded.slice(j, j + 3)}`)) hits++
    return hits * 2 >= padded.length - 2 && t.length >= 5
  })
  return known.length / words.length
}
