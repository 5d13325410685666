// Measures the intent model: accuracy on the held-out Bitext split, how many in-scope held-out texts
// the out-of-scope rule wrongly rejects, and how it treats obviously off-topic messages.
import { scoreIntents, trainIntentModel, type TrainOptions } from './classifier.ts'
import { defaultTrainingCsv, loadUtterances, splitHeldOut } from './dataset.ts'
import { classifyWith, defaultConfidenceThreshold, outOfScope } from './intents.ts'
import { seedUtterances } from './seed-utterances.ts'

/** Messages no retail support intent covers; each should come out as out of scope. */
export const offTopicProbes = [
  'what is the weather like in paris tomorrow', 'tell me a joke', 'who won the football game last night',
  'can you write me a poem about cats', 'what is the capital of france', 'how do I bake sourdough bread',
  'play some music', 'what time is it in tokyo', 'explain quantum physics to me', 'recommend a good movie',
]

export interface Evaluation {
  trainSize: number
  heldOutSize: number
  /** Top-1 accuracy on held-out Bitext text, model trained on the rest plus the retail seeds. */
  accuracy: number
  /** The same without the seeds: the Bitext-only figure. */
  accuracyBitextOnly: number
  /** Share of held-out (in-scope) texts the confidence threshold would have escalated. */
  heldOutRejectedRate: number
  trainingMs: number
  threshold: number
  offTopic: { text: string; intent: string; predicted: string; confidence: number }[]
  offTopicDetected: number
  errors: { text: string; expected: string; predicted: string }[]
}

/** Trains on the split and scores the held-out part; deterministic apart from `trainingMs`. */
export function evaluateIntentModel(csvPath = defaultTrainingCsv, options: TrainOptions = {}): Evaluation {
  const { train, heldOut } = splitHeldOut(loadUtterances(csvPath))
  const started = performance.now()
  const model = trainIntentModel([...train, ...seedUtterances()], options)
  const trainingMs = Math.round(performance.now() - started)
  const bitextOnly = trainIntentModel(train, options)
  const threshold = defaultConfidenceThreshold
  const predictions = heldOut.map((u) => ({ u, c: classifyWith(model, u.text, threshold) }))
  const correct = predictions.filter(({ u, c }) => c.predicted === u.intent).length
  const correctBitext = heldOut.filter((u) => scoreIntents(bitextOnly, u.text)[0]?.intent === u.intent).length
  const offTopic = offTopicProbes.map((text) => ({ text, ...classifyWith(model, text, threshold) }))
    .map(({ text, intent, predicted, confidence }) => ({ text, intent, predicted, confidence }))
  return {
    trainSize: train.length,
    heldOutSize: heldOut.length,
    accuracy: correct / heldOut.length,
    accuracyBitextOnly: correctBitext / heldOut.length,
    heldOutRejectedRate: predictions.filter(({ c }) => c.intent === outOfScope).length / heldOut.length,
    trainingMs,
    threshold,
    offTopic,
    offTopicDetected: offTopic.filter((o) => o.intent === outOfScope).length,
    errors: predictions.filter(({ u, c }) => c.predicted !== u.intent).map(({ u, c }) => ({ text: u.text, expected: u.intent, predicted: c.predicted })),
  }
}
