// "stop" in a reply to a proactive message opts the customer out of that campaign's channel, in the platform,
// whatever the model would have said: the turn answers with a fixed confirmation and runs no agent.
import type { TurnReceived } from '../protocol.ts'
import type { ConversationContext } from '../conversation/state.ts'
import { isStopReply } from '../../outreach/index.ts'

/** The confirmation when the customer was opted out; undefined for every other message (one string test). */
export async function optOutOnStop(msg: TurnReceived, { state, deps }: ConversationContext): Promise<string | undefined> {
  if (!isStopReply(msg.payload.text)) return undefined
  const sent = await deps.storage.outreach.deliveries.lastSentInto(state.conversationId)
  if (!sent) return undefined
  await deps.storage.outreach.consent.set(sent.tenantId, sent.customerRef, sent.channel, 'out', `reply:${sent.id}`)
  deps.observer.outreachOptedOut(sent.channel)
  deps.log.info('customer opted out of outreach', { conversationId: state.conversationId, channel: sent.channel, campaign: sent.campaign })
  return `You are unsubscribed: we will not send you further messages by ${sent.channel}. You can still write to us here at any time.`
}
