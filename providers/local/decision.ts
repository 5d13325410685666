// The local provider's whole decision for one turn: classify the last customer message, pick the
// tier-1 task it belongs to (or continue the open one), and run that flow. Escalation is data here.
import { assertNever } from '../../lib/errors.ts'
import type { ProviderMessage, ToolCall, ToolSpec } from '../provider.ts'
import { accountHelp, passwordHelp } from './account-flows.ts'
import type { IntentModel } from './classifier.ts'
import { fnv1a } from './dataset.ts'
import { extractEntities, type RetailEntities } from './entities.ts'
import { classifyWith, defaultConfidenceThreshold, loadIntentModel, outOfScope, taskForIntent, type IntentClassification, type LocalTask } from './intents.ts'
import { cancelOrder, orderStatus } from './order-flows.ts'
import { escalationText } from './replies.ts'
import { returnOrder } from './return-flow.ts'
import { readConversation, type ConversationState } from './state.ts'
import { escalate, reply, type Step } from './step.ts'

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

const closing = /^\s*(thanks|thank you|thx|cheers|bye|goodbye|that's all|that is all|great|perfect|ok(ay)?)\b[\s\w,!.']{0,30}$/i

function hasFollowUp(e: RetailEntities): boolean {
  return e.orderIds.length + e.emails.length + e.itemIds.length + e.paymentMethodIds.length > 0 ||
    (e.name !== undefined && e.zip !== undefined) || e.affirmative !== undefined || e.cancelReason !== undefined || e.allItems
}

type Resolved = { task: LocalTask } | { step: Step }

// An answer full of ids ("a@b.com, order #W…") reads like track_order to the model; only a clearly
// new request switches away from the task the customer is in the middle of.
const switchConfidence = 0.75

/** A confident tier-1 intent starts a task; a follow-up answer continues the open one; else none. */
function nextTask(open: LocalTask | undefined, c: IntentClassification, entities: RetailEntities): LocalTask | undefined {
  const task = taskForIntent(c.intent)
  const followUp = open !== undefined && hasFollowUp(entities)
  if (task && !(followUp && task !== open && c.confidence < switchConfidence)) return task
  return followUp ? open : undefined
}

// Replays the customer's turns so "the open task" means the same thing it meant on each earlier turn.
function resolveTask(state: ConversationState, classifyText: (t: string) => IntentClassification): Resolved {
  let task: LocalTask | undefined
  let last: IntentClassification | undefined
  for (const text of state.userTexts) {
    last = classifyText(text)
    task = nextTask(task, last, extractEntities(text))
  }
  if (task) return { task }
  if (closing.test(state.lastUserText)) return { step: reply('You are welcome. Is there anything else I can help you with?', 'closing') }
  const intent = last?.intent ?? outOfScope
  if (intent === 'contact_human_agent' || intent === 'contact_customer_service') return { step: escalate('customer_requested_human') }
  return { step: escalate(intent === outOfScope ? 'low_confidence' : `unsupported_intent:${intent}`) }
}

function runTask(task: LocalTask, state: ConversationState, options: LocalDecisionOptions): Step {
  switch (task) {
    case 'order_status': return orderStatus(state)
    case 'cancel_order': return cancelOrder(state)
    case 'return_order': return returnOrder(state)
    case 'password_help': return passwordHelp(state, options.passwordResetInstructions ?? defaultPasswordResetInstructions)
    case 'account_help': return accountHelp(state)
    default: return assertNever(task)
  }
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
  const state = readConversation(messages)
  const c = classifyWith(model, state.lastUserText, threshold)
  const base = { intent: c.intent, confidence: c.confidence, entities: state.lastEntities }
  if (state.userTexts.length === 0) return finish(base, escalate('no_customer_message'), messages, options)
  const resolved = resolveTask(state, (t) => classifyWith(model, t, threshold))
  if ('step' in resolved) return finish(base, resolved.step, messages, options)
  return finish({ ...base, task: resolved.task }, runTask(resolved.task, state, options), messages, options)
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
