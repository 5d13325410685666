// Retrieval for one turn: the passages of the agent's knowledge base that best match the customer's message,
// each screened for instructions aimed at the model before any model reads it. Recorded as a turn step in the
// retrieval's own statement, so a redelivered turn cites the same passages the first delivery did.
import type { TurnReceived } from '../protocol.ts'
import { KNOWLEDGE_STEP, screenedKnowledge, type TurnKnowledge } from '../turn-knowledge.ts'
import type { ConversationContext } from './state.ts'

/** Passages per turn: enough to cover a question that spans two articles, few enough to keep the prompt small. */
export const PASSAGES_PER_TURN = 4

/** `msg`: the turn's message, its text (merged messages included) the query. */
export async function retrieveForTurn(msg: TurnReceived, knowledgeBase: string | undefined, ctx: ConversationContext): Promise<TurnKnowledge> {
  if (!knowledgeBase) return screenedKnowledge(undefined)
  const request = { tenantId: ctx.state.route.tenantId, knowledgeBase, query: msg.payload.text, limit: PASSAGES_PER_TURN }
  // Retrieval records its own step: `save` keeps what it returns.
  const recorded = await ctx.step(KNOWLEDGE_STEP, () => ctx.deps.storage.knowledge.retrieveOnce(msg.id, KNOWLEDGE_STEP, request), async (r) => r)
  return screenedKnowledge(recorded)
}
