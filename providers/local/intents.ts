// Intent classification with out-of-scope detection, and the map from intents to the tier-1 tasks the
// local provider can complete itself. The default model is trained once per process, on first use.
import { topIntent, trainIntentModel, type IntentModel } from './classifier.ts'
import { defaultTrainingCsv, loadUtterances } from './dataset.ts'
import { featureNames, knownWordRatio } from './features.ts'
import { seedUtterances } from './seed-utterances.ts'
import { cachedModel } from './model-cache.ts'

/** The tier-1 tasks: everything else is escalated to a human. */
export type LocalTask =
  | 'order_status' | 'cancel_order' | 'return_order' | 'change_items' | 'change_order_address' | 'change_payment'
  | 'change_default_address' | 'product_info' | 'password_help' | 'account_help' | 'account_figures'

export const outOfScope = 'out_of_scope'

/** Below this top-class probability a text is out of scope; no held-out Bitext text falls below it. */
export const defaultConfidenceThreshold = 0.3
/** Below this share of known content words a text is out of scope, however confident the model is. */
export const minKnownWordRatio = 0.5

export interface IntentClassification {
  /** The predicted intent, or `out_of_scope`. */
  intent: string
  /** The model's best guess even when out of scope, for traces. */
  predicted: string
  confidence: number
  knownWordRatio: number
}

// get_refund lands on the return flow: in the retail domain a refund comes from returning (or
// cancelling) an order, and the flow says which one applies once it sees the order's status. A change of
// an order's items is a modification while it is pending and an exchange once delivered: one task.
const tasks: Record<string, LocalTask> = {
  track_order: 'order_status', cancel_order: 'cancel_order', return_order: 'return_order',
  get_refund: 'return_order', recover_password: 'password_help', edit_account: 'account_help',
  check_payment_methods: 'account_help', change_order: 'change_items', change_shipping_address: 'change_order_address',
  set_up_shipping_address: 'change_default_address',
}

/** The tier-1 task an intent maps to, if any. */
export function taskForIntent(intent: string): LocalTask | undefined {
  return Object.hasOwn(tasks, intent) ? tasks[intent] : undefined
}

/** Classifies one text with a given model; deterministic. `names`: the text's feature names, when already computed. */
export function classifyWith(model: IntentModel, text: string, threshold = defaultConfidenceThreshold, names = featureNames(text)): IntentClassification {
  const top = topIntent(model, names)
  const coverage = knownWordRatio(model.vectorizer, text)
  const predicted = top?.intent ?? outOfScope
  const confidence = top?.confidence ?? 0
  const inScope = confidence >= threshold && coverage >= minKnownWordRatio
  return { intent: inScope ? predicted : outOfScope, predicted, confidence, knownWordRatio: coverage }
}

const models = new Map<string, IntentModel>()

/**
 * The production model: all Bitext utterances plus the retail seeds, trained once per CSV path and
 * cached for the life of the process (about 1 s on one core).
 */
export function loadIntentModel(trainingCsv: string = defaultTrainingCsv): IntentModel {
  const cached = models.get(trainingCsv)
  if (cached) return cached
  const data = [...loadUtterances(trainingCsv), ...seedUtterances()]
  const model = cachedModel('intents', data, () => trainIntentModel(data))
  models.set(trainingCsv, model)
  return model
}

/**
 * Classifies a customer message with the default model.
 * @example classify('where is my order #W2378156') // { intent: 'track_order', confidence: 0.9, … }
 */
export function classify(text: string): IntentClassification {
  return classifyWith(loadIntentModel(), text)
}
