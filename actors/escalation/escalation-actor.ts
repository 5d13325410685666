// The escalation pool's handler: opens a handoff to humans once per id and tells the channels about it.
import type { PoolHandlers } from '../protocol.ts'
import type { Storage } from '../../storage/index.ts'
import type { Clock } from '../../lib/clock.ts'

export function createEscalationHandler(storage: Pick<Storage, 'escalations' | 'events'>, clock: Clock): PoolHandlers['escalation.open'] {
  return async (req) => {
    const { turnId, reason, detail } = req.payload
    await storage.escalations.open({ id: req.id, conversationId: req.conversationId, turnId, reason, detail })
    await storage.events.publish({
      id: req.id, type: 'escalation.opened', conversationId: req.conversationId, at: clock.now(),
      data: { escalationId: req.id, reason, turnId },
    })
    return { escalationId: req.id }
  }
}
