// The outreach pool's handler: a proactive message that has come due is delivered into its conversation's
// mailbox, so it is ordered with everything else the conversation does.
import type { Mailbox, PoolHandlers } from '../protocol.ts'
import type { Clock } from '../../lib/clock.ts'

export function createOutreachHandler(mailbox: Mailbox, clock: Clock): PoolHandlers['outreach.send'] {
  return async (req) => {
    await mailbox.send({
      v: 1, id: `${req.id}.msg`, kind: 'outreach.triggered', conversationId: req.conversationId,
      causationId: req.id, sentAt: clock.now(), payload: { campaign: req.payload.campaign, text: req.payload.text },
    })
    return { delivered: true }
  }
}
