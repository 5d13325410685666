// The outreach pool's handler: a proactive message that has come due is delivered into its conversation's
// mailbox, so it is ordered with everything else the conversation does. A campaign's deferred message (it
// names its delivery) goes through the deliverer, which checks consent and escalations again first.
import type { Mailbox, PoolHandlers } from '../protocol.ts'
import type { Clock } from '../../lib/clock.ts'
import type { Deliverer } from './deliverer.ts'

export function createOutreachHandler(mailbox: Mailbox, clock: Clock, deliverer: Deliverer): PoolHandlers['outreach.send'] {
  return async (req) => {
    if (req.payload.delivery) return { delivered: await deliverer.sendDue(req.payload.delivery) }
    await mailbox.send({
      v: 1, id: `${req.id}.msg`, kind: 'outreach.triggered', conversationId: req.conversationId,
      causationId: req.id, sentAt: clock.now(), payload: { campaign: req.payload.campaign, text: req.payload.text },
    })
    return { delivered: true }
  }
}
