// Holding messages: what a customer waiting for a person is told, on their own channel (the conversation's stream,
// which chat widgets read and webhooks relay to ticketing systems). Each is stored and published under an id made
// from its escalation and number, so sending one again repeats nothing.
import type { Clock } from '../../lib/clock.ts'
import type { HandoffQueue, Storage } from '../../storage/index.ts'
import { holdingMessage } from './queue-routing.ts'

export type HoldingStorage = Pick<Storage, 'handoffQueues' | 'messages' | 'events'>

export interface Holding {
  escalationId: string
  conversationId: string
  tenantId: string
  queue: Pick<HandoffQueue, 'id' | 'firstResponseSlaS'>
  overdue: boolean
}

/** The holding sentence for a handoff as its queue stands now. */
export async function holdingText(storage: HoldingStorage, h: Holding): Promise<string> {
  const wait = await storage.handoffQueues.waitFigures(h.tenantId, h.queue.id, h.escalationId)
  return holdingMessage(wait, h.queue.firstResponseSlaS, h.overdue)
}

/** Sends holding message number `count` (2, 3, … : the first rides on the handoff reply itself). */
export async function sendHolding(storage: HoldingStorage, clock: Clock, h: Holding, count: number): Promise<void> {
  const text = await holdingText(storage, h)
  const id = `${h.escalationId}.hold.${count}`
  await storage.messages.append({ id, conversationId: h.conversationId, role: 'system', text })
  await storage.events.publish({
    id, type: 'reply.completed', conversationId: h.conversationId, at: clock.now(),
    data: { messageId: id, text, author: 'system', holding: true, escalationId: h.escalationId },
  })
}
