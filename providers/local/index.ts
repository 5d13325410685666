// Public surface of the offline `local` provider: the Provider factory, the per-turn decision the
// runtime reads for escalation, the intent classifier and the retail entity extractor. No `export *`.

/**
 * The provider itself. `createLocalProvider(options)` returns a `Provider` named 'local' whose
 * responses carry `decision` (see `LocalDecision`); `isLocalEscalation(res)` tells the runtime to hand
 * over to a human; `localPricePerMillion` is the all-zero price row for cost accounting.
 * @example
 * const local = createLocalProvider()
 * const res = await local.complete({ model: 'local', messages, tools })
 * if (isLocalEscalation(res)) escalate(res.decision.reason)
 */
export { createLocalProvider, isLocalEscalation, localPricePerMillion } from './local-provider.ts'
export type { LocalProvider, LocalProviderOptions, LocalProviderResponse } from './local-provider.ts'

/**
 * One turn's decision from the messages alone: `{ intent, confidence, entities, task, action, reason,
 * text, toolCalls }` with `action` one of 'reply' | 'tool_calls' | 'escalate'.
 * @example localDecision([{ role: 'user', content: 'I forgot my password' }], { tools }).action // 'reply'
 */
export { localDecision, defaultPasswordResetInstructions } from './decision.ts'
export type { LocalAction, LocalDecision, LocalDecisionOptions } from './decision.ts'

/**
 * Intent classification with out-of-scope detection (`intent === outOfScope` below the threshold).
 * `classify` uses the default model, trained once per process from data/intents/bitext-train.csv.
 * @example classify('I want to cancel my order').intent // 'cancel_order'
 */
export { classify, classifyWith, defaultConfidenceThreshold, loadIntentModel, outOfScope, taskForIntent } from './intents.ts'
export type { IntentClassification, LocalTask } from './intents.ts'

/** Training a model yourself (deterministic for the same data and options). */
export { trainIntentModel } from './classifier.ts'
export type { IntentModel, TrainOptions } from './classifier.ts'

/** The labelled data and its deterministic, stratified 20% held-out split. */
export { defaultTrainingCsv, loadUtterances, splitHeldOut } from './dataset.ts'
export type { DatasetSplit, LabelledUtterance } from './dataset.ts'

/** Held-out accuracy and off-topic behaviour, as printed by `bun providers/local/evaluate.ts`. */
export { evaluateIntentModel, offTopicProbes } from './evaluation.ts'
export type { Evaluation } from './evaluation.ts'

/**
 * Retail entity extraction: order ids (normalised to `#W…`), emails, name + zip, user ids, item and
 * product ids, payment method ids, yes/no and cancellation reasons.
 * @example extractEntities('order W2378156').orderIds // ['#W2378156']
 */
export { extractEntities } from './entities.ts'
export type { CancelReason, RetailEntities } from './entities.ts'

/**
 * Topic boundary: out-of-scope detection by a binary model (retail support against CLINC150's other
 * domains), trained once per process on first use. `action` is the AgentPolicy's choice for off-topic
 * messages: 'decline' → verdict `block`, 'escalate' | 'handoff' → verdict `escalate`.
 * @example checkTopic('what is the capital of france').inScope // false
 */
export { checkTopic, checkTopicWith, loadOutOfScopeModel, OUT_OF_SCOPE_THRESHOLD } from './out-of-scope.ts'
export type { OutOfScopeAction, TopicModels, TopicResult } from './out-of-scope.ts'

/** The topic boundary measured on data it was not trained on (`npm run eval:guardrails` prints it). */
export { evaluateOutOfScope } from './out-of-scope-evaluation.ts'
export type { OutOfScopeEvaluation } from './out-of-scope-evaluation.ts'
