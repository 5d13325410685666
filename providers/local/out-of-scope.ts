// Topic boundary: is a customer message something a retail support agent handles at all? A binary model
// (in scope: Bitext support utterances, the retail seeds, requests about the shop's products and
// conversational acts; out of scope: CLINC150's other domains and its out-of-scope queries) next to the
// intent model. Trained once per process.
import { readFileSync } from 'node:fs'
import { cachedModel } from './model-cache.ts'
import type { CheckResult } from '../../lib/guardrail-check.ts'
import { labelProbability, trainIntentModel, type IntentModel } from './classifier.ts'
import { defaultTrainingCsv, loadUtterances, type LabelledUtterance } from './dataset.ts'
import { classifyWith, loadIntentModel } from './intents.ts'
import { seedUtterances } from './seed-utterances.ts'
import { featureNames } from './features.ts'
import { productMatcher } from './flows/items.ts'
import { ruleTask } from './task-router.ts'
import { extractEntities } from './entities.ts'

/** CLINC150 as shipped: `[text, intent]` pairs per split. */
export interface Clinc150 {
  train: [string, string][]
  val: [string, string][]
  oos_train: [string, string][]
  oos_val: [string, string][]
}

export const defaultClincJson = new URL('../../data/intents/clinc150-train-val.json', import.meta.url).pathname
const catalogueJson = new URL('../../data/retail/db.json', import.meta.url).pathname

/** CLINC intents a retail support chat handles too: conversational acts and parcel tracking. */
export const conversationalClincIntents = new Set([
  'order_status', 'greeting', 'goodbye', 'thank_you', 'yes', 'no', 'maybe', 'cancel', 'repeat', 'are_you_a_bot', 'what_can_i_ask_you',
])
/** CLINC intents that could be either (a shopping order, a declined card): used as neither. */
export const ambiguousClincIntents = new Set(['order', 'card_declined', 'who_do_you_work_for', 'what_is_your_name', 'report_fraud'])

/** What the agent does with an out-of-scope message, from the AgentPolicy. */
export type OutOfScopeAction = 'decline' | 'escalate' | 'handoff'

export interface TopicResult extends CheckResult {
  check: 'topic'
  /** `score`: the probability that the message is out of scope. */
  inScope: boolean
  action?: OutOfScopeAction
  /** The intent model's view, for traces and the confidence score. */
  intent: string
  intentConfidence: number
}

/**
 * Out of scope at or above this probability. Chosen for the most CLINC150 other-domain validation queries
 * caught while at most 12% of the retail dialogues' opening messages are rejected; also requiring the intent
 * model's own out-of-scope rule to agree, or accepting it alone, rejected more openings.
 */
export const OUT_OF_SCOPE_THRESHOLD = 0.5
/** Examples per CLINC intent in training: enough for each domain without drowning the retail class. */
const PER_INTENT = 30

// Requests about the shop's own products, which Bitext never names (one template in two per product).
const productTemplates = [
  "I'd like to exchange my {p}", 'can I return the {p} I received', 'the {p} I ordered arrived damaged',
  'what {p} options do you have available', 'I want to change the color of the {p} in my order', 'how much does the {p} cost',
  'please cancel the {p} from my pending order', 'where is the {p} I ordered',
]

/** In-scope examples naming each catalogue product (data/retail/db.json). */
export function productUtterances(path: string = catalogueJson): LabelledUtterance[] {
  const products = Object.values((JSON.parse(readFileSync(path, 'utf8')) as { products: Record<string, { name: string }> }).products)
  return products.flatMap((p, i) => productTemplates.filter((_, j) => (i + j) % 2 === 0)
    .map((t) => ({ text: t.replace('{p}', p.name.toLowerCase()), intent: 'in' })))
}

export function loadClinc150(path: string = defaultClincJson): Clinc150 {
  return JSON.parse(readFileSync(path, 'utf8')) as Clinc150
}

/** Training data of the binary model; `inScope` is the retail side (Bitext utterances or a split of them). */
export function outOfScopeTrainingData(inScope: LabelledUtterance[], clinc: Clinc150): LabelledUtterance[] {
  const taken = new Map<string, number>()
  const sample = clinc.train.filter(([, intent]) => {
    const n = (taken.get(intent) ?? 0) + 1
    taken.set(intent, n)
    return n <= PER_INTENT && !ambiguousClincIntents.has(intent)
  })
  return [
    ...[...inScope, ...seedUtterances(), ...productUtterances()].map((u) => ({ text: u.text, intent: 'in' })),
    ...sample.map(([text, intent]) => ({ text, intent: conversationalClincIntents.has(intent) ? 'in' : 'out' })),
    ...clinc.oos_train.map(([text]) => ({ text, intent: 'out' })),
  ]
}

export function trainOutOfScopeModel(inScope: LabelledUtterance[], clinc: Clinc150): IntentModel {
  return trainIntentModel(outOfScopeTrainingData(inScope, clinc))
}

let defaultModel: IntentModel | undefined

/** The production model: all Bitext utterances against CLINC150's train split, about 1 s once per process. */
export function loadOutOfScopeModel(): IntentModel {
  if (!defaultModel) {
    const [inScope, clinc] = [loadUtterances(defaultTrainingCsv), loadClinc150()]
    defaultModel = cachedModel('out-of-scope', [inScope, clinc], () => trainOutOfScopeModel(inScope, clinc))
  }
  return defaultModel
}

let catalogue: string[] | undefined
const productNames = (): string[] =>
  (catalogue ??= Object.values((JSON.parse(readFileSync(catalogueJson, 'utf8')) as { products: Record<string, { name: string }> }).products).map((p) => p.name))

/** Whether a text names an order, an item, a refund, a gift card or one of the shop's products. */
function namesShopNoun(text: string): boolean {
  return /#?\bW\d{7}\b|\b(orders?|items?|purchases?|refunds?|gift cards?)\b/i.test(text) || productNames().some(productMatcher(text))
}

/** Whether a text names something of the shop's, or something happening to an order. */
export function namesShopThing(text: string): boolean {
  return namesShopNoun(text) || /\b(delivered|received|shipped)\b/i.test(text)
}

// "What did I pay for the items in #W…", "I no longer need the hiking boots and the watch": the customer's purchase.
const aboutOwnPurchase = /\bI (?:have |just |recently )?(?:received|bought|ordered|placed|paid for|purchased)\b|\bdid I (?:receive|buy|order|pay|purchase)\b|\bmy (?:orders?|purchases?|gift cards?|refunds?)\b|\bI (?:no longer|don't|do not) need\b/i

// An email, a user id, a name with a zip code: how a customer reaches their own account, which the topic model
// reads as password help or small talk ("I'm James Kim, my email is …"). The rest of the message is what is judged.
const ACCOUNT_WORDS = /[\w.+-]+@[\w-]+(?:\.[\w-]+)+|\b[a-z]+_[a-z]+_\d{4}\b|\b(?:my )?(?:e-?mail(?: address)?|user ?id|zip(?: ?code)?)(?: is)?\b|\b\d{5}\b/gi
const FILLER = /\b(?:hi|hello|hey|here|and|it's|it is|from|thanks)\b/gi

/** The message without the customer's identity details: '' when identifying is all it does; itself when it has none. */
function withoutIdentity(text: string): string {
  const e = extractEntities(text)
  if (e.emails.length === 0 && e.userIds.length === 0 && !(e.name && e.zip)) return text
  const name = e.name ? new RegExp(`\\b(?:(?:my name is|i am|i'm|this is)\\s+)?${e.name.firstName}\\s+${e.name.lastName}\\b`, 'gi') : undefined
  const rest = (name ? text.replace(name, ' ') : text).replace(ACCOUNT_WORDS, ' ')
  return /[a-z]{2,}/i.test(rest.replace(FILLER, ' ')) ? rest : ''
}

/** P(out of scope) under a binary model. `names`: the text's feature names, when already computed. */
export function outOfScopeProbability(model: IntentModel, text: string, names = featureNames(text)): number {
  return labelProbability(model, names, 'out')
}

export interface TopicModels {
  outOfScope: IntentModel
  intents: IntentModel
}

/** The topic check with given models; deterministic. */
export function checkTopicWith(models: TopicModels, text: string, action: OutOfScopeAction = 'decline'): TopicResult {
  const asked = withoutIdentity(text)
  // Both models read the same feature names when the whole message is the question.
  const names = featureNames(text)
  const p = asked === '' ? 0 : outOfScopeProbability(models.outOfScope, asked, asked === text ? names : featureNames(asked))
  const intent = classifyWith(models.intents, text, undefined, names)
  const base = { check: 'topic' as const, score: p, intent: intent.predicted, intentConfidence: intent.confidence }
  if (asked === '') return { ...base, verdict: 'allow', inScope: true, reason: 'the customer identifies their account' }
  if (p < OUT_OF_SCOPE_THRESHOLD) return { ...base, verdict: 'allow', inScope: true, reason: 'within the retail support topics' }
  // "I also want to return the cleaner and the headphones": a retail action on something the shop sells or an
  // order, whatever the binary model makes of the product words around it.
  // "How much money will I get back": what the conversation's changes refunded is the shop's business too.
  const task = ruleTask(text)
  if (task && (namesShopThing(text) || task === 'account_figures')) return { ...base, verdict: 'allow', inScope: true, reason: 'asks for a retail action on an order or product' }
  // "I received two tablets and I only need one": what happened to the customer's own order, before the request.
  if (aboutOwnPurchase.test(text) && namesShopNoun(text)) return { ...base, verdict: 'allow', inScope: true, reason: 'about the customer\'s own order' }
  return {
    ...base, inScope: false, action, verdict: action === 'decline' ? 'block' : 'escalate',
    reason: `the message is outside the agent's topics (${action === 'decline' ? 'declined' : 'handed to a human'})`,
  }
}

/**
 * The topic boundary for one customer message, with the default models. `action` comes from the
 * AgentPolicy: 'decline' answers `block` (the agent declines politely), 'escalate' and 'handoff' answer `escalate`.
 * @example checkTopic('what is the weather in paris').verdict // 'block'
 */
export function checkTopic(text: string, action: OutOfScopeAction = 'decline'): TopicResult {
  return checkTopicWith({ outOfScope: loadOutOfScopeModel(), intents: loadIntentModel() }, text, action)
}
