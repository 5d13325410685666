// The local provider's whole decision for one turn: classify the last customer message, pick the
// tier-1 task it belongs to (or continue the open one), and run that flow. Escalation is data here.
import { assertNever } from '../../lib/errors.ts'
import type { ProviderMessage, ToolCall, ToolSpec } from '../provider.ts'
import type { IntentModel } from './classifier.ts'
import { fnv1a } from './dataset.ts'
import { extractEntities, type RetailEntities } from './entities.ts'
import { accountHelp, identify, passwordHelp } from './flows/account.ts'
import { changeAddresses, changesSeveralAddresses } from './flows/address-change.ts'
import { cancelOrder } from './flows/cancel.ts'
import { deliveredOnce } from './flows/delivered-once.ts'
import { exchangeOrReturn } from './flows/exchange-or-return.ts'
import { accountFigures, withRefundTotal } from './flows/figures.ts'
import { changePayment } from './flows/payment-change.ts'
import { coversAll } from './flows/order-lookup.ts'
import { productInfo } from './flows/product-info.ts'
import { withReferents } from './flows/referents.ts'
import { returnOrder } from './flows/return.ts'
import { orderStatus } from './flows/status.ts'
import { afterWrites, writesThisTurn } from './flows/write-results.ts'
import { classifyWith, defaultConfidenceThreshold, loadIntentModel, outOfScope, type IntentClassification, type LocalTask } from './intents.ts'
import { namesShopThing } from './out-of-scope.ts'
import { anythingElse, askWhatToDo, escalationText, howCanIHelp } from './replies.ts'
import { withEitherChange, withExceptionsJoined } from './request-scope.ts'
import { offerText, readConversation, type ConversationState } from './state.ts'
import { escalate, reply, type Step } from './step.ts'
import { nextTask, ruleTask } from './task-router.ts'

export type LocalAction = 'reply' | 'tool_calls' | 'escalate'

/** What the local provider decided, and why; the runtime reads `action === 'escalate'` to hand over. */
export interface LocalDecision {
  intent: string
  confidence: number
  entities: RetailEntities
  task?: LocalTask
  action: LocalAction
  /**
   * Machine-readable: e.g. `low_confidence`, `unsupported_intent:complaint`, `customer_requested_human`,
   * `tool_unavailable:get_order_details`, `tool_failed:cancel_pending_order`, or the flow step (`order_status`).
   */
  reason: string
  text: string
  toolCalls: ToolCall[]
}

export interface LocalDecisionOptions {
  /** Tools offered in the request; the provider only calls tools listed here. */
  tools?: ToolSpec[]
  model?: IntentModel
  /** @defaultValue 0.3 */
  confidenceThreshold?: number
  /** Appended to password help, since passwords are outside the retail tools. */
  passwordResetInstructions?: string
}

export const defaultPasswordResetInstructions =
  'I cannot see or change passwords. Use the "Forgot password" link on the sign-in page to get a reset link sent to that email; if it does not arrive, tell me and I will pass you to a human agent.'

const thanks = /^\s*(thanks|thank you|thx|cheers|bye|goodbye|that's all|that is all|great|perfect|ok(ay)?|no,? (that's|that is) (all|it)|nothing else|no,? thanks?( you)?)\b[\s\w,!.']{0,40}$/i
const greeting = /^\s*(hi|hello|hey|good (morning|afternoon|evening))\b[\s\w,!.']{0,20}$/i
const asksForPerson = /\b(human|real person|a person|someone real|representative|live agent|supervisor|manager)\b/i

type Classify = (text: string) => IntentClassification

/** The task the customer is in after their messages so far (each message continues it or opens another). */
function taskOf(texts: string[], classify: Classify): LocalTask | undefined {
  let task: LocalTask | undefined
  for (const text of texts) task = nextTask(task, text, classify(text), extractEntities(text))
  return task
}

/** Whether a message opens a different request than the one its task was about. */
const opensTask = (classify: Classify) => (text: string, earlier: string[]): boolean => {
  const open = taskOf(earlier, classify)
  const next = nextTask(open, text, classify(text), extractEntities(text))
  return open !== undefined && next !== undefined && next !== open
}

// Neither request wording nor a question: a fact that sets up the request after it.
const onlyStates = (text: string): boolean => ruleTask(text) === undefined && !/\b(want|need|would like|'d like|can you|could you|please|help)\b|\?/i.test(text)

// "I want to return the e-reader. If the same item is available, I'm willing to exchange it to the same item.":
// an offer of what the customer would accept instead qualifies the request before it, and opens none.
const qualifiesPrevious = /^(?:but\s+)?(?:if|in case)\b[^,]*,\s*(?:then\s+)?I(?:'m| am|'d be| would be) (?:willing|happy|ok(?:ay)?) to\b.*\b(?:it|them)\b/i

// "Modify all my pending order addresses to the DC address, along with my user default address": the same change
// asked of a second thing, which is a request of its own.
const alongWith = /^(?<head>.*?\b(?<verb>change|modify|update|set)\b.*?)(?<target>\s+to\s+[^,.!?]+?),?\s+(?:along with|as well as|and also)\s+(?<other>(?:my|the)\s[^,.!?]*?\baddress)\s*[.!]?$/i

function withAlongWith(sentence: string): string[] {
  const m = alongWith.exec(sentence)?.groups
  if (!m) return [sentence]
  return [`${m.head}${m.target}.`, `${m.verb} ${m.other}${m.target}.`]
}

function sentencesOf(text: string): string[] {
  const sentences = text.split(/(?<=[.!?])\s+(?=[A-Z#])|,?\s+(?:and|then)\s+(?=(?:I\s+(?:also\s+)?(?:want|would like|need)\s+to\s+)?(?:return|exchange|cancel|modify|change)\b)/)
  return withExceptionsJoined(sentences).flatMap(withAlongWith).flatMap(withEitherChange)
    .reduce<string[]>((out, s) => (out.length > 0 && qualifiesPrevious.test(s) ? [...out.slice(0, -1), `${out.at(-1)} ${s}`] : [...out, s]), [])
}

/** A message's sentences grouped into requests: a sentence that asks for another task starts the next one. */
const requestsOf = (classify: Classify) => (text: string): string[] => {
  const groups: { task?: LocalTask; sentences: string[] }[] = []
  for (const sentence of sentencesOf(text)) {
    const current = groups.at(-1)
    const next = nextTask(current?.task, sentence, classify(sentence), extractEntities(sentence))
    if (current && (!current.task || next === current.task || !next)) {
      current.sentences.push(sentence)
      current.task ??= next
    } else groups.push({ ...(next ? { task: next } : {}), sentences: [sentence] })
  }
  // A lead-in that asks for nothing by itself ("Hi, I'm Yara. I have a couple of requests.", "I received a laptop
  // and I want to exchange it") opens the first request.
  const texts = groups.map((g) => g.sentences.join(' '))
  while (texts.length > 1 && (taskOf([texts[0]!], classify) === undefined || onlyStates(texts[0]!))) texts.splice(0, 2, `${texts[0]} ${texts[1]}`)
  return texts
}

/** A finished task's closing line offers the next request the customer made in the same message. */
function offerNext(state: ConversationState, step: Step): Step {
  const next = state.pendingRequests[0]
  if (step.action !== 'reply' || !next || !step.text.endsWith(anythingElse)) return step
  return reply(`${step.text.slice(0, -anythingElse.length)}${offerText(next)}`, step.reason)
}

const hasIdentity = (e: RetailEntities): boolean => e.emails.length > 0 || (e.name !== undefined && e.zip !== undefined)

/** What to do when no tier-1 task is open: a greeting, a thank-you, an introduction, or a handoff. */
function withoutTask(state: ConversationState, c: IntentClassification): Step {
  if (asksForPerson.test(state.lastUserText) || c.intent === 'contact_human_agent' || c.intent === 'contact_customer_service') {
    return escalate('customer_requested_human')
  }
  // "I'm Chen Silva, 46281. I received two tablets and I only need one.": asked what to do, the tablets stay said.
  if (hasIdentity(state.lastEntities)) return identify(state, namesShopThing(state.lastUserText) ? askWhatToDo : howCanIHelp)
  // "I don't know" to "What would you like to do?" is no goodbye: asked again, then a person takes over.
  if (state.previousAssistantText.endsWith(askWhatToDo) && !thanks.test(state.lastUserText)) return reply(askWhatToDo, 'need_request')
  if (thanks.test(state.lastUserText) || state.lastEntities.affirmative === false) return reply('Thank you for contacting us. Have a great day!', 'closing')
  if (greeting.test(state.lastUserText)) return reply(`Hello! ${howCanIHelp}`, 'greeting')
  // "I received two tablets and I only need one": about an order, but which action is the customer's to say.
  if (c.intent === outOfScope && namesShopThing(state.lastUserText)) return reply(askWhatToDo, 'need_request')
  return escalate(c.intent === outOfScope ? 'low_confidence' : `unsupported_intent:${c.intent}`)
}

function runTask(task: LocalTask, state: ConversationState, options: LocalDecisionOptions): Step {
  switch (task) {
    case 'order_status': return orderStatus(state)
    case 'cancel_order': return cancelOrder(state)
    case 'return_order': return deliveredOnce(state, returnOrder(state))
    case 'change_items': return deliveredOnce(state, exchangeOrReturn(state))
    case 'change_order_address': return changeAddresses(state, 'order')
    case 'change_payment': return changePayment(state)
    case 'change_default_address': return changeAddresses(state, 'profile')
    case 'product_info': return productInfo(state)
    case 'password_help': return passwordHelp(state, options.passwordResetInstructions ?? defaultPasswordResetInstructions)
    case 'account_help': return accountHelp(state)
    case 'account_figures': return accountFigures(state)
    default: return assertNever(task)
  }
}

// The platform gives a turn six model steps; the sixth must answer the customer, so a flow that still needs
// look-ups after five says where it is and goes on when the customer replies.
const callsPerTurn = 5
const keepLooking = 'I have looked up several records of your account so far and need a few more. Shall I keep looking?'

function withinTurn(state: ConversationState, step: Step): Step {
  return step.action === 'tool_calls' && state.callsThisTurn >= callsPerTurn ? reply(keepLooking, 'lookups_continue') : step
}

// Asking the same question a third time helps nobody: a person takes over, with the question as the reason.
const maxRepeats = 2

function bounded(state: ConversationState, step: Step): Step {
  if (step.action !== 'reply' || !/^(need_|authentication_failed)/.test(step.reason)) return step
  const asked = state.taskAssistantTexts.filter((t) => t === step.text).length
  return asked >= maxRepeats ? escalate(`pending_clarification: ${step.reason} asked ${asked} times without an answer`) : step
}

// Ids derive from the conversation so a replayed turn asks for the same call (idempotent effects).
function toolCallId(messages: ProviderMessage[], tool: string): string {
  return `local_${fnv1a(JSON.stringify(messages)).toString(16)}_${messages.length}_${tool}`
}

/**
 * Decides one turn from the messages alone; the same messages always give the same decision.
 * @example localDecision([{ role: 'user', content: 'Where is my order #W2378156?' }], { tools })
 */
export function localDecision(messages: ProviderMessage[], options: LocalDecisionOptions = {}): LocalDecision {
  const model = options.model ?? loadIntentModel()
  const threshold = options.confidenceThreshold ?? defaultConfidenceThreshold
  const seen = new Map<string, IntentClassification>()
  const classify: Classify = (t) => seen.get(t) ?? seen.set(t, classifyWith(model, t, threshold)).get(t)!
  const state = readConversation(messages, { startsTask: opensTask(classify), requestsOf: requestsOf(classify) })
  const c = classify(state.lastUserText)
  const base = { intent: c.intent, confidence: c.confidence, entities: state.lastEntities }
  if (state.userTexts.length === 0) return finish(base, escalate('no_customer_message'), messages, options)
  const task = taskOf(state.userTexts, classify)
  if (!task) return finish(base, bounded(state, withoutTask(state, c)), messages, options)
  if (asksForPerson.test(state.lastUserText) && !state.lastEntities.affirmative) return finish({ ...base, task }, escalate('customer_requested_human'), messages, options)
  const next = withinTurn(state, bounded(state, runTask(task, withReferents(state), options)))
  return finish({ ...base, task }, offerNext(state, withRefundTotal(state, afterWrites(writesThisTurn(state), next, coversAll(state) || changesSeveralAddresses(state)))), messages, options)
}

function finish(base: Omit<LocalDecision, 'action' | 'reason' | 'text' | 'toolCalls'>, step: Step, messages: ProviderMessage[], options: LocalDecisionOptions): LocalDecision {
  if (step.action === 'reply') return { ...base, action: 'reply', reason: step.reason, text: step.text, toolCalls: [] }
  if (step.action === 'escalate') return { ...base, action: 'escalate', reason: step.reason, text: escalationText, toolCalls: [] }
  if (!(options.tools ?? []).some((t) => t.name === step.tool)) {
    return { ...base, action: 'escalate', reason: `tool_unavailable:${step.tool}`, text: escalationText, toolCalls: [] }
  }
  const call: ToolCall = { id: toolCallId(messages, step.tool), name: step.tool, arguments: step.arguments }
  return { ...base, action: 'tool_calls', reason: step.reason, text: '', toolCalls: [call] }
}
