// The intent model: held-out accuracy above a floor, out-of-scope detection, and determinism.
import { describe, expect, test } from 'bun:test'
import { labelProbability, scoreIntents, topIntent, trainIntentModel } from '../../../providers/local/classifier.ts'
import { loadUtterances, splitHeldOut } from '../../../providers/local/dataset.ts'
import { featureNames } from '../../../providers/local/features.ts'
import { evaluateIntentModel } from '../../../providers/local/evaluation.ts'
import { classify, loadIntentModel, outOfScope } from '../../../providers/local/index.ts'

// Training runs several times in this file (about 1 s each on a shared core).
// Measured 0.9986 (726 of 727 held out); the floor leaves room for a couple of borderline texts.
const accuracyFloor = 0.99

describe('intent model', () => {
  const evaluation = evaluateIntentModel()

  test('the held-out split is a stratified, deterministic 20%', () => {
    const a = splitHeldOut(loadUtterances())
    const b = splitHeldOut(loadUtterances())
    expect(a.heldOut.map((u) => u.text)).toEqual(b.heldOut.map((u) => u.text))
    expect(evaluation.heldOutSize).toBe(a.heldOut.length)
    expect(a.heldOut.length / (a.heldOut.length + a.train.length)).toBeCloseTo(0.2, 1)
    expect(new Set(a.heldOut.map((u) => u.intent)).size).toBe(27)
    const train = new Set(a.train.map((u) => u.text))
    expect(a.heldOut.some((u) => train.has(u.text))).toBe(false)
  })

  test(`held-out accuracy is at least ${accuracyFloor}`, () => {
    expect(evaluation.accuracy).toBeGreaterThanOrEqual(accuracyFloor)
    expect(evaluation.accuracyBitextOnly).toBeGreaterThanOrEqual(accuracyFloor)
  })

  test('the out-of-scope rule rejects almost no in-scope text and every off-topic probe', () => {
    expect(evaluation.heldOutRejectedRate).toBeLessThanOrEqual(0.01)
    expect(evaluation.offTopicDetected).toBe(evaluation.offTopic.length)
  })

  test('training is fast and deterministic', () => {
    const { train } = splitHeldOut(loadUtterances())
    const started = performance.now()
    const a = trainIntentModel(train)
    expect(performance.now() - started).toBeLessThan(5000) // ~0.8 s measured; slack for a shared CI core
    const b = trainIntentModel(train)
    expect(Buffer.from(a.weights.buffer).equals(Buffer.from(b.weights.buffer))).toBe(true)
    expect(scoreIntents(a, 'track my order')).toEqual(scoreIntents(b, 'track my order'))
  }, 20_000)

  test("the top label and one label's probability read from feature names agree with the full scoring", () => {
    const model = loadIntentModel()
    const texts = [...splitHeldOut(loadUtterances()).heldOut.slice(0, 200).map((u) => u.text), '', 'zzz', 'what is the meaning of life']
    for (const text of texts) {
      const scored = scoreIntents(model, text)
      const names = featureNames(text)
      expect(topIntent(model, names)).toEqual(scored[0])
      expect(labelProbability(model, names, scored[1]!.intent)).toBe(scored[1]!.confidence)
    }
    expect(labelProbability(model, featureNames('track my order'), 'no such label')).toBe(0)
  }, 20_000)

  test('classifies retail requests to the tier-1 intents', () => {
    expect(classify('Where is my order #W2378156?').intent).toBe('track_order')
    expect(classify('I want to cancel my order').intent).toBe('cancel_order')
    expect(classify('I would like to return the boots I bought').intent).toBe('return_order')
    expect(classify('I forgot my password').intent).toBe('recover_password')
    expect(classify('I need to update my account details').intent).toBe('edit_account')
    expect(classify('what is the meaning of life').intent).toBe(outOfScope)
  }, 20_000)
})
