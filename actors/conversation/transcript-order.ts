// One order per conversation, the transcript's. Mail can reach the actor out of the transcript's order: posts that
// overlap take their sequence numbers in one order and reach the mailbox in another, and a Redis that lost earlier
// mail may still receive later mail sent while it came back. A turn's first statement (turnSteps.begin) says whether
// an earlier customer message still owes a reply; if so, the turn stops before doing anything else, the earlier
// messages are answered first, oldest first, from Postgres (the source of truth), and then the turn runs. Their own
// mail, if it comes, finds them answered (checkpointed) and only delivers the recorded reply again, which the reply
// stream takes once. The usual turn pays nothing: the check rides on the statement it runs anyway.
import type { MailOutcome, TurnReceived } from '../protocol.ts'
import type { UnansweredMessage } from '../../storage/index.ts'
import type { ConversationContext } from './state.ts'

/** Thrown by a turn that found earlier customer messages still owed a reply, before it did anything. */
class EarlierMessagesFirst extends Error {
  constructor(turnId: string) {
    super(`earlier messages of the conversation go before ${turnId}`)
  }
}

// Turns whose earlier messages were just answered: they run even if one of those could not be settled.
const cleared = new WeakSet<TurnReceived>()

/** Called by the turn once it has begun: stops it when earlier customer messages must be answered first. */
export function assertTranscriptOrder(msg: TurnReceived, earlierUnsettled: boolean): void {
  if (earlierUnsettled && !cleared.has(msg)) throw new EarlierMessagesFirst(msg.id)
}

/** Runs `turn` for `msg`; when the turn finds earlier messages owed a reply, runs it for those first, in order. */
export async function inTranscriptOrder(
  msg: TurnReceived, ctx: ConversationContext, turn: (m: TurnReceived) => Promise<MailOutcome>,
): Promise<MailOutcome> {
  try {
    return await turn(msg)
  } catch (e) {
    if (!(e instanceof EarlierMessagesFirst)) throw e
  }
  const earlier = await ctx.deps.storage.messages.unansweredBefore(ctx.state.conversationId, msg.id)
  for (const m of earlier) {
    ctx.deps.log.info('answering an earlier message first', { conversationId: m.conversationId, messageId: m.id, before: msg.id })
    await inTranscriptOrder(asMail(m), ctx, turn)
  }
  cleared.add(msg)
  return turn(msg)
}

function asMail(m: UnansweredMessage): TurnReceived {
  return {
    v: 1, id: m.id, kind: 'turn.received', conversationId: m.conversationId, sentAt: m.createdAt.getTime(),
    payload: { text: m.text, channel: m.channel },
  }
}
