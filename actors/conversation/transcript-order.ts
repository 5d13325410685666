// One order per conversation, the transcript's. Mail can reach the actor out of the transcript's order: posts that
// overlap take their sequence numbers in one order and reach the mailbox in another, and a Redis that lost earlier
// mail may still receive later mail sent while it came back. So before a turn, the actor answers every earlier
// customer message still owed a reply, read from Postgres (the source of truth), oldest first. Their own mail, if
// it comes, finds them answered (checkpointed) and only delivers the recorded reply again, which the reply stream
// takes once.
import type { MailOutcome, TurnReceived } from '../protocol.ts'
import type { UnansweredMessage } from '../../storage/index.ts'
import type { ConversationContext } from './state.ts'

// Mail goes missing only recently: older customer messages owe nothing here (a day, as recovery's re-mail window).
const LOOKBACK_MS = 24 * 3600_000
// How many earlier customer messages are looked at: more than overlapping posts or lost mail leave behind.
const LOOKBACK_MESSAGES = 20

/** Runs `turn` for every earlier unanswered customer message, in order, then for `msg`. */
export async function inTranscriptOrder(
  msg: TurnReceived, ctx: ConversationContext, turn: (m: TurnReceived) => Promise<MailOutcome>,
): Promise<MailOutcome> {
  const since = new Date(ctx.deps.clock.now() - LOOKBACK_MS)
  const earlier = await ctx.deps.storage.messages.unansweredBefore(ctx.state.conversationId, msg.id, since, LOOKBACK_MESSAGES)
  for (const m of earlier) {
    ctx.deps.log.info('answering an earlier message first', { conversationId: m.conversationId, messageId: m.id, before: msg.id })
    await turn(asMail(m))
  }
  return turn(msg)
}

function asMail(m: UnansweredMessage): TurnReceived {
  return {
    v: 1, id: m.id, kind: 'turn.received', conversationId: m.conversationId, sentAt: m.createdAt.getTime(),
    payload: { text: m.text, channel: m.channel },
  }
}
