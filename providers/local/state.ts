// Reads what a conversation has established so far (who the customer is, what they mentioned, what
// the tools returned) from the messages alone: the local provider keeps no memory between calls.
// Identity and tool results hold for the whole conversation; what the customer asked for belongs to the
// current task only, so a finished task's order ids and answers never leak into the next request.
import type { ProviderMessage, ToolCall } from '../provider.ts'
import { extractEntities, type RetailEntities } from './entities.ts'
import { anythingElse, choiceQuestion, howCanIHelp, refusalOffer } from './replies.ts'
import type { RetailOrder, RetailProduct, RetailUser } from './retail-types.ts'
import { parseOrder, parseProduct, parseUser } from './retail-types.ts'

/** A tool result paired with the call that asked for it. */
export interface ToolOutcome {
  call: ToolCall
  ok: boolean
  content: string
}

export interface ConversationState {
  /** The customer's messages of the current task, oldest first (of a message with several requests, the one in hand). */
  userTexts: string[]
  /** The customer's messages before the current task, oldest first (what "the more expensive one" may point back to). */
  earlierUserTexts: string[]
  /** Requests the customer made in the same message as the current one, not started yet. */
  pendingRequests: string[]
  lastUserText: string
  /** Entities of the last customer message only (confirmations must be fresh). */
  lastEntities: RetailEntities
  /** Entities of the current task's customer messages; later mentions come first in each list. */
  entities: RetailEntities
  /** Entities of every customer message: who the customer said they are holds for the whole conversation. */
  identity: RetailEntities
  /** The assistant's last text before the last customer message: what the customer answered. */
  previousAssistantText: string
  /** The customer's messages within the current task, each with the assistant's text it answered. */
  taskAnswers: { asked: string; answer: string }[]
  /** The assistant's texts within the current task, oldest first (to bound repeated questions). */
  taskAssistantTexts: string[]
  /** Every tool outcome of the conversation. */
  outcomes: ToolOutcome[]
  /** The tool outcomes of the current task. */
  taskOutcomes: ToolOutcome[]
  /** Tool calls made since the last customer message (a turn has a bounded number of model steps). */
  callsThisTurn: number
  /** The order the previous task was about, for "it" in the next request. */
  previousOrderId?: string
  userId?: string
  user?: RetailUser
  orders: Map<string, RetailOrder>
  products: Map<string, RetailProduct>
  /** list_all_product_types: product name → product id. */
  productTypes?: Record<string, string>
}

function mergeEntities(list: RetailEntities[]): RetailEntities {
  const latestFirst = [...list].reverse()
  const merged = (pick: (e: RetailEntities) => string[]): string[] => [...new Set(latestFirst.flatMap(pick))]
  const out: RetailEntities = {
    orderIds: merged((e) => e.orderIds), emails: merged((e) => e.emails), userIds: merged((e) => e.userIds),
    itemIds: merged((e) => e.itemIds), productIds: merged((e) => e.productIds),
    paymentMethodIds: merged((e) => e.paymentMethodIds), paymentKinds: merged((e) => e.paymentKinds) as RetailEntities['paymentKinds'],
    allItems: list.some((e) => e.allItems),
  }
  const lastFour = latestFirst.find((e) => e.lastFour)?.lastFour
  if (lastFour) out.lastFour = lastFour
  const name = latestFirst.find((e) => e.name)?.name
  const zip = latestFirst.find((e) => e.zip)?.zip
  const cancelReason = latestFirst.find((e) => e.cancelReason)?.cancelReason
  if (name) out.name = name
  if (zip) out.zip = zip
  if (cancelReason) out.cancelReason = cancelReason
  return out
}

function collectOutcomes(messages: ProviderMessage[]): Map<number, ToolOutcome> {
  const calls = new Map<string, ToolCall>()
  const outcomes = new Map<number, ToolOutcome>()
  messages.forEach((m, i) => {
    if (m.role === 'assistant') for (const c of m.toolCalls ?? []) calls.set(c.id, c)
    if (m.role !== 'tool') return
    const call = calls.get(m.toolCallId) ?? { id: m.toolCallId, name: m.name, arguments: {} }
    const failed = m.isError === true || /^\s*error\b/i.test(m.content)
    outcomes.set(i, { call, ok: !failed, content: m.content })
  })
  return outcomes
}

// Tools return the user id as a bare string or as JSON; accept both.
function parseUserId(content: string): string | undefined {
  const raw = content.trim().replace(/^"(.*)"$/, '$1')
  return /^[a-z]+_[a-z]+_\d{4}$/.test(raw) ? raw : undefined
}

function parseProductTypes(content: string): Record<string, string> | undefined {
  try {
    const value: unknown = JSON.parse(content)
    const inner: unknown = typeof value === 'string' ? JSON.parse(value) : value
    return typeof inner === 'object' && inner !== null && !Array.isArray(inner) ? (inner as Record<string, string>) : undefined
  } catch {
    return undefined
  }
}

function applyOutcome(state: ConversationState, o: ToolOutcome): void {
  if (!o.ok) return
  if (o.call.name === 'find_user_id_by_email' || o.call.name === 'find_user_id_by_name_zip') {
    state.userId = parseUserId(o.content) ?? state.userId
  } else if (o.call.name === 'get_user_details') {
    state.user = parseUser(o.content) ?? state.user
  } else if (o.call.name === 'list_all_product_types') {
    state.productTypes = parseProductTypes(o.content) ?? state.productTypes
  } else if (o.call.name === 'get_product_details') {
    const product = parseProduct(o.content)
    if (product) state.products.set(product.product_id, product)
  } else {
    const order = parseOrder(o.content)
    if (order) state.orders.set(order.order_id, order)
  }
}

// What the agent says when a task is finished; the customer's next message starts a new task.
const taskClosers = [anythingElse, howCanIHelp, 'Shall I go on with that?']

const closesTask = (m: ProviderMessage): boolean => m.role === 'assistant' && taskClosers.some((c) => m.content.includes(c))

/** How the caller's router reads customer messages into tasks. */
export interface TaskReader {
  /** Whether a message opens a different request than the one its task is about. */
  startsTask(text: string, earlier: string[]): boolean
  /** A message split into its requests, in order (one element when it makes one request). */
  requestsOf(text: string): string[]
}

/** The agent offering the next request of a message that made several: `You also asked: "…" Shall I…`. */
export const offerText = (request: string): string => `You also asked: "${request}" Shall I go on with that?`
const offered = (text: string): string | undefined => /You also asked: "([^]*)" Shall I go on with that\?/.exec(text)?.[1]

interface TaskSpan { start: number; texts: string[]; pending: string[] }

/**
 * The current task: from right after the last agent message that closed a task, or from where a customer
 * message started a new request. A message with several requests starts the first; the others wait in
 * `pending` and are offered one by one as each task closes.
 */
function currentTask(messages: ProviderMessage[], reader: TaskReader): TaskSpan {
  const span: TaskSpan = { start: 0, texts: [], pending: [] }
  let offer: string | undefined
  let refused = false
  let choosing = false
  messages.forEach((m, i) => {
    if (closesTask(m)) {
      offer = offered(m.content)
      Object.assign(span, { start: i + 1, texts: offer ? [offer] : [], pending: offer ? span.pending.slice(1) : [] })
    }
    if (m.role === 'assistant' && m.content !== '') [refused, choosing] = [m.content.endsWith(refusalOffer), m.content.endsWith(choiceQuestion)]
    if (m.role !== 'user') return
    if (offer && extractEntities(m.content).affirmative === false) span.texts = []
    offer = undefined
    // Not taking the alternative to a refused request leaves it refused: the message is the next request, and
    // the requests still waiting stay.
    if (refused && extractEntities(m.content).affirmative !== true) Object.assign(span, { start: i, texts: [] })
    // "The exchange, please" picks one of two requests that cannot both be done (read from taskAnswers): no
    // request text of its own, so its wording opens no task.
    else if (choosing && span.texts.length > 0) return
    // A new request in the middle of one ("then cancel the order") leaves the requests still waiting in place.
    else if (span.texts.length > 0 && reader.startsTask(m.content, span.texts)) Object.assign(span, { start: i, texts: [] })
    if (span.texts.length > 0) return void span.texts.push(m.content)
    const [first, ...rest] = reader.requestsOf(m.content)
    span.texts.push(first ?? m.content)
    span.pending = [...rest, ...span.pending]
  })
  return span
}

// The order "it" refers to: the last one a tool acted on, or the one order the agent last spoke about (a
// search loads several orders, and the last one loaded is not the one the reply was about).
function lastOrderOf(messages: ProviderMessage[], outcomes: Map<number, ToolOutcome>): string | undefined {
  const ids = messages.flatMap((m, i) => {
    const spoken = m.role === 'assistant' ? [...new Set(m.content.match(/#W\d{7}/g) ?? [])] : []
    if (spoken.length === 1) return spoken
    const o = outcomes.get(i)
    const id = o?.call.arguments.order_id
    return o?.ok && typeof id === 'string' ? [id] : []
  })
  return ids.at(-1)
}

/**
 * Derives the conversation state; deterministic and independent of anything but `messages`. The reader
 * says how customer messages divide into requests.
 */
export function readConversation(messages: ProviderMessage[], reader: TaskReader = { startsTask: () => false, requestsOf: (t) => [t] }): ConversationState {
  const { start, texts: userTexts, pending } = currentTask(messages, reader)
  const task = messages.slice(start)
  const all = collectOutcomes(messages)
  const lastUserIndex = messages.map((m) => m.role).lastIndexOf('user')
  const previous = messages.slice(0, Math.max(lastUserIndex, 0)).reverse().find((m) => m.role === 'assistant' && m.content.trim() !== '')
  const lastUserText = messages[lastUserIndex]?.content ?? ''
  const state: ConversationState = {
    userTexts, lastUserText, pendingRequests: pending,
    earlierUserTexts: messages.slice(0, start).flatMap((m) => (m.role === 'user' ? [m.content] : [])),
    lastEntities: extractEntities(lastUserText),
    entities: mergeEntities(userTexts.map(extractEntities)),
    identity: mergeEntities(messages.flatMap((m) => (m.role === 'user' ? [extractEntities(m.content)] : []))),
    previousAssistantText: previous?.content ?? '',
    taskAssistantTexts: task.flatMap((m) => (m.role === 'assistant' && m.content.trim() !== '' ? [m.content] : [])),
    taskAnswers: task.flatMap((m, i) => (m.role === 'user' ? [{ asked: task.slice(0, i).findLast((a) => a.role === 'assistant' && a.content.trim() !== '')?.content ?? '', answer: m.content }] : [])),
    outcomes: [...all.values()],
    taskOutcomes: [...all.entries()].filter(([i]) => i >= start).map(([, o]) => o),
    callsThisTurn: [...all.keys()].filter((i) => i > lastUserIndex).length,
    orders: new Map(),
    products: new Map(),
  }
  const previousOrderId = lastOrderOf(messages.slice(0, start), all)
  if (previousOrderId) state.previousOrderId = previousOrderId
  for (const o of state.outcomes) applyOutcome(state, o)
  return state
}

/** The outcome of an earlier identical call (same tool, same arguments), if there was one. */
export function findOutcome(state: ConversationState, name: string, args: Record<string, unknown>): ToolOutcome | undefined {
  const key = JSON.stringify(args)
  return [...state.outcomes].reverse().find((o) => o.call.name === name && JSON.stringify(o.call.arguments) === key)
}
