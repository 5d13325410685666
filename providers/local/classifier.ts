// The intent model: multinomial logistic regression over tf-idf features, trained by SGD with a fixed
// seed, so the same data always yields the same weights. Pure computation: no I/O, no clock.
import type { LabelledUtterance } from './dataset.ts'
import { featureNames, fitVectorizer, vectorize, vectorizeNames, type SparseVector, type Vectorizer } from './features.ts'

/** Training knobs. Defaults were chosen on the held-out split (see evaluate.ts). */
export interface TrainOptions {
  /** @defaultValue 8 */
  epochs?: number
  /** @defaultValue 0.5 */
  learningRate?: number
  /** L2 penalty applied to the weights an example touches (lazy regularisation). @defaultValue 1e-5 */
  l2?: number
  /** @defaultValue 7 */
  seed?: number
}

export interface IntentModel {
  labels: string[]
  vectorizer: Vectorizer
  /** Row-major `[feature][label]` weights. */
  weights: Float64Array
  bias: Float64Array
}

export interface IntentScore {
  intent: string
  confidence: number
}

/** Mulberry32: a tiny seeded PRNG, so shuffles are reproducible across runs and machines. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function softmax(model: IntentModel, x: SparseVector): Float64Array {
  const k = model.labels.length
  const scores = Float64Array.from(model.bias)
  for (let n = 0; n < x.indices.length; n++) {
    const row = (x.indices[n] ?? 0) * k
    const v = x.values[n] ?? 0
    for (let c = 0; c < k; c++) scores[c] = (scores[c] ?? 0) + (model.weights[row + c] ?? 0) * v
  }
  let max = -Infinity
  for (let c = 0; c < k; c++) max = Math.max(max, scores[c] ?? 0)
  let sum = 0
  for (let c = 0; c < k; c++) sum += scores[c] = Math.exp((scores[c] ?? 0) - max)
  for (let c = 0; c < k; c++) scores[c] = (scores[c] ?? 0) / sum
  return scores
}

// Feature-major loop order: each feature's weights for all labels sit next to each other in memory.
function sgdStep(model: IntentModel, x: SparseVector, label: number, rate: number, l2: number): void {
  const k = model.labels.length
  const g = softmax(model, x)
  g[label] = (g[label] ?? 0) - 1
  for (let c = 0; c < k; c++) model.bias[c] = (model.bias[c] ?? 0) - rate * (g[c] ?? 0)
  for (let n = 0; n < x.indices.length; n++) {
    const row = (x.indices[n] ?? 0) * k
    const v = x.values[n] ?? 0
    for (let c = 0; c < k; c++) {
      const w = model.weights[row + c] ?? 0
      model.weights[row + c] = w - rate * ((g[c] ?? 0) * v + l2 * w)
    }
  }
}

/** Trains a model; deterministic for the same data and options. */
export function trainIntentModel(data: LabelledUtterance[], options: TrainOptions = {}): IntentModel {
  const { epochs = 8, learningRate = 0.5, l2 = 1e-5, seed = 7 } = options
  const labels = [...new Set(data.map((u) => u.intent))].sort()
  const documents = data.map((u) => featureNames(u.text))
  const vectorizer = fitVectorizer(documents)
  const model: IntentModel = {
    labels, vectorizer,
    weights: new Float64Array(vectorizer.vocabulary.size * labels.length),
    bias: new Float64Array(labels.length),
  }
  const examples = data.map((u, i) => ({ x: vectorizeNames(vectorizer, documents[i] ?? []), y: labels.indexOf(u.intent) }))
  const random = seededRandom(seed)
  const order = examples.map((_, i) => i)
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1))
      ;[order[i], order[j]] = [order[j] ?? 0, order[i] ?? 0]
    }
    const rate = learningRate / (1 + epoch * 0.5) // decaying step: later epochs fine-tune, not jump
    for (const i of order) { const e = examples[i]; if (e) sgdStep(model, e.x, e.y, rate, l2) }
  }
  return model
}

/** All labels with their probabilities, best first (ties broken by label for determinism). */
export function scoreIntents(model: IntentModel, text: string): IntentScore[] {
  const p = softmax(model, vectorize(model.vectorizer, text))
  return model.labels
    .map((intent, i) => ({ intent, confidence: p[i] ?? 0 }))
    .sort((a, b) => b.confidence - a.confidence || (a.intent < b.intent ? -1 : 1))
}

/**
 * The best label of a text given by its feature names (`featureNames`, computed once for several models): the first
 * of `scoreIntents`, without scoring every label into a sorted list.
 */
export function topIntent(model: IntentModel, names: string[]): IntentScore | undefined {
  const p = softmax(model, vectorizeNames(model.vectorizer, names))
  let best: IntentScore | undefined
  model.labels.forEach((intent, i) => {
    const confidence = p[i] ?? 0
    if (!best || confidence > best.confidence || (confidence === best.confidence && intent < best.intent)) best = { intent, confidence }
  })
  return best
}

/** The probability of one label of a text given by its feature names. */
export function labelProbability(model: IntentModel, names: string[], label: string): number {
  const i = model.labels.indexOf(label)
  return i < 0 ? 0 : (softmax(model, vectorizeNames(model.vectorizer, names))[i] ?? 0)
}
