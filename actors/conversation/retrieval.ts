// Retrieval for one turn: the passages of the agent's knowledge base that best match the customer's message,
// each screened for instructions aimed at the model before any model reads it. Recorded as a turn step, so a
// redelivered turn cites the same passages the first delivery did.
import { KNOWLEDGE_STEP, type TurnPassage } from '../turn-knowledge.ts'
import { screenContext, type CheckRecord } from './guardrails.ts'
import type { ConversationContext } from './state.ts'

/** Passages per turn: enough to cover a question that spans two articles, few enough to keep the prompt small. */
export const PASSAGES_PER_TURN = 4

export interface TurnKnowledge {
  passages: TurnPassage[]
  checks: CheckRecord[]
}

const NONE: TurnKnowledge = { passages: [], checks: [] }

export async function retrieveForTurn(query: string, knowledgeBase: string | undefined, ctx: ConversationContext): Promise<TurnKnowledge> {
  if (!knowledgeBase) return NONE
  return ctx.step(KNOWLEDGE_STEP, async () => {
    const found = await ctx.deps.storage.knowledge.retrieve({ tenantId: ctx.state.route.tenantId, knowledgeBase, query, limit: PASSAGES_PER_TURN })
    const knowledge: TurnKnowledge = { passages: [], checks: [] }
    for (const p of found) {
      const screened = screenContext(p.text, 'passage')
      knowledge.checks.push(screened.check)
      if (screened.allowed) knowledge.passages.push({ articleId: p.articleId, passageId: p.passageId, version: p.version, title: p.title, text: p.text })
    }
    return knowledge
  })
}
