// What a person does to a conversation, whoever calls it (the /v1 routes with a console key, or the console with
// a signed-in person): take or resolve a handoff, answer the customer, send or discard an assist draft. Each step
// is published on the conversation's stream, and whatever people wrote is mailed to the actor as `context.changed`.
import { contextChanged, type Inbox } from '../channels/index.ts'
import type { Clock } from '../lib/clock.ts'
import { AppError } from '../lib/errors.ts'
import type { DraftOutcome, Handoff, HandoffOutcome, Storage, StoredMessage } from '../storage/index.ts'

export interface HumanActionDeps {
  storage: Pick<Storage, 'handoffs' | 'assist' | 'events' | 'handoffSla'>
  inbox: Pick<Inbox, 'mailbox' | 'clock'>
  clock: Clock
}

export function handoffOf(outcome: HandoffOutcome, id: string): Handoff {
  if (outcome.ok) return outcome.handoff
  if (outcome.reason === 'not_found') throw new AppError('not_found', `escalation ${id} not found`)
  throw new AppError('conflict', `escalation ${id} is ${outcome.reason === 'taken' ? 'taken by another agent' : 'resolved'}`)
}

export function decided<T>(outcome: DraftOutcome<T>, id: string): T {
  if (outcome.ok) return outcome.value
  if (outcome.reason === 'not_found') throw new AppError('not_found', `draft ${id} not found`)
  if (outcome.reason === 'closed') throw new AppError('conversation.closed', `the conversation of draft ${id} is closed`)
  throw new AppError('conflict', `draft ${id} was already sent or discarded`)
}

function publishHandoff(deps: HumanActionDeps, h: Handoff, type: 'escalation.taken' | 'escalation.resolved', id: string, data: Record<string, unknown>) {
  return deps.storage.events.publish({ id, type, conversationId: h.conversationId, at: deps.clock.now(), data: { escalationId: h.id, ...data } })
}

/** An agent takes an open handoff (a repeat by the same agent is harmless; another agent's is a 409). */
export async function takeHandoff(deps: HumanActionDeps, tenantId: string, id: string, agent: string): Promise<Handoff> {
  const handoff = handoffOf(await deps.storage.handoffs.take(tenantId, id, agent), id)
  await publishHandoff(deps, handoff, 'escalation.taken', `${id}.taken`, { agent })
  return handoff
}

/** Resolves a handoff; with `handBack` the AI agent answers the conversation again, knowing what was said meanwhile. */
export async function resolveHandoff(deps: HumanActionDeps, tenantId: string, id: string, handBack: boolean): Promise<Handoff> {
  const handoff = handoffOf(await deps.storage.handoffs.resolve(tenantId, id, handBack), id)
  await publishHandoff(deps, handoff, 'escalation.resolved', `${id}.resolved${handBack ? '.handback' : ''}`, { handBack })
  if (handBack) await contextChanged(deps.inbox, handoff.conversationId, `${id}.handback`, 'handed back')
  return handoff
}

/** After a person's message is stored: the customer sees it, the first-response clock stops, the actor re-reads. */
export async function humanMessageSent(deps: HumanActionDeps, m: { id: string; conversationId: string; text: string; agent: string }): Promise<void> {
  await deps.storage.events.publish({
    id: m.id, type: 'reply.completed', conversationId: m.conversationId, at: deps.clock.now(),
    data: { messageId: m.id, text: m.text, author: 'human_agent', agent: m.agent },
  })
  await deps.storage.handoffSla.firstResponse(m.conversationId, new Date(deps.clock.now()))
  await contextChanged(deps.inbox, m.conversationId, m.id, 'human agent message')
}

/** Sends an assist draft, as written or edited (`text`), as the agent's reply. */
export async function sendDraft(deps: HumanActionDeps, tenantId: string, id: string, agent: string, text?: string): Promise<StoredMessage> {
  const message = decided(await deps.storage.assist.send(tenantId, id, agent, text), id)
  await deps.storage.events.publish({
    id: message.id, type: 'reply.completed', conversationId: message.conversationId, at: deps.clock.now(),
    data: { messageId: message.id, turnId: message.turnId, text: message.text, approvedBy: agent, edited: text !== undefined },
  })
  await contextChanged(deps.inbox, message.conversationId, message.id, 'draft sent')
  return message
}

export async function discardDraft(deps: HumanActionDeps, tenantId: string, id: string, agent: string): Promise<void> {
  decided(await deps.storage.assist.discard(tenantId, id, agent), id)
}
