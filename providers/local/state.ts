// Reads what a conversation has established so far (who the customer is, what they mentioned, what
// the tools returned) from the messages alone: the local provider keeps no memory between calls.
import type { ProviderMessage, ToolCall } from '../provider.ts'
import { extractEntities, type RetailEntities } from './entities.ts'
import type { RetailOrder, RetailUser } from './retail-types.ts'
import { parseOrder, parseUser } from './retail-types.ts'

/** A tool result paired with the call that asked for it. */
export interface ToolOutcome {
  call: ToolCall
  ok: boolean
  content: string
}

export interface ConversationState {
  userTexts: string[]
  lastUserText: string
  /** Entities of the last customer message only (confirmations must be fresh). */
  lastEntities: RetailEntities
  /** Entities of all customer messages; later mentions come first in each list. */
  entities: RetailEntities
  /** The assistant's last text before the last customer message: what the customer answered. */
  previousAssistantText: string
  outcomes: ToolOutcome[]
  userId?: string
  user?: RetailUser
  orders: Map<string, RetailOrder>
}

function mergeEntities(list: RetailEntities[]): RetailEntities {
  const latestFirst = [...list].reverse()
  const merged = (pick: (e: RetailEntities) => string[]): string[] => [...new Set(latestFirst.flatMap(pick))]
  const out: RetailEntities = {
    orderIds: merged((e) => e.orderIds), emails: merged((e) => e.emails), userIds: merged((e) => e.userIds),
    itemIds: merged((e) => e.itemIds), productIds: merged((e) => e.productIds),
    paymentMethodIds: merged((e) => e.paymentMethodIds), allItems: list.some((e) => e.allItems),
  }
  const name = latestFirst.find((e) => e.name)?.name
  const zip = latestFirst.find((e) => e.zip)?.zip
  const cancelReason = latestFirst.find((e) => e.cancelReason)?.cancelReason
  if (name) out.name = name
  if (zip) out.zip = zip
  if (cancelReason) out.cancelReason = cancelReason
  return out
}

function collectOutcomes(messages: ProviderMessage[]): ToolOutcome[] {
  const calls = new Map<string, ToolCall>()
  const outcomes: ToolOutcome[] = []
  for (const m of messages) {
    if (m.role === 'assistant') for (const c of m.toolCalls ?? []) calls.set(c.id, c)
    if (m.role !== 'tool') continue
    const call = calls.get(m.toolCallId) ?? { id: m.toolCallId, name: m.name, arguments: {} }
    const failed = m.isError === true || /^\s*error\b/i.test(m.content)
    outcomes.push({ call, ok: !failed, content: m.content })
  }
  return outcomes
}

// Tools return the user id as a bare string or as JSON; accept both.
function parseUserId(content: string): string | undefined {
  const raw = content.trim().replace(/^"(.*)"$/, '$1')
  return /^[a-z]+_[a-z]+_\d{4}$/.test(raw) ? raw : undefined
}

function applyOutcome(state: ConversationState, o: ToolOutcome): void {
  if (!o.ok) return
  if (o.call.name === 'find_user_id_by_email' || o.call.name === 'find_user_id_by_name_zip') {
    state.userId = parseUserId(o.content) ?? state.userId
  } else if (o.call.name === 'get_user_details') {
    state.user = parseUser(o.content) ?? state.user
  } else {
    const order = parseOrder(o.content)
    if (order) state.orders.set(order.order_id, order)
  }
}

/** Derives the conversation state; deterministic and independent of anything but `messages`. */
export function readConversation(messages: ProviderMessage[]): ConversationState {
  const userTexts = messages.flatMap((m) => (m.role === 'user' ? [m.content] : []))
  const lastUserIndex = messages.map((m) => m.role).lastIndexOf('user')
  const before = messages.slice(0, Math.max(lastUserIndex, 0))
  const previous = before.reverse().find((m) => m.role === 'assistant' && m.content.trim() !== '')
  const lastUserText = userTexts[userTexts.length - 1] ?? ''
  const state: ConversationState = {
    userTexts, lastUserText,
    lastEntities: extractEntities(lastUserText),
    entities: mergeEntities(userTexts.map(extractEntities)),
    previousAssistantText: previous?.content ?? '',
    outcomes: collectOutcomes(messages),
    orders: new Map(),
  }
  for (const o of state.outcomes) applyOutcome(state, o)
  return state
}

/** The outcome of an earlier identical call (same tool, same arguments), if there was one. */
export function findOutcome(state: ConversationState, name: string, args: Record<string, unknown>): ToolOutcome | undefined {
  const key = JSON.stringify(args)
  return [...state.outcomes].reverse().find((o) => o.call.name === name && JSON.stringify(o.call.arguments) === key)
}
