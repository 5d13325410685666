// Knowledge suggestions for the person answering: the passages of the tenant's knowledge bases that best match the
// customer's latest message, through the same retrieval the agent's turns use.
import type { Knowledge } from '../../storage/index.ts'

export interface Suggestion {
  id: string
  title: string
  passage: string
  score: number
}

// A tenant usually has one knowledge base; a few are searched, each query bounded by the retrieval itself.
const MAX_BASES = 3
const MAX_PASSAGE_CHARS = 600

/** The best passages for a text across the tenant's knowledge bases (none when it has no knowledge base). */
export async function suggestKnowledge(knowledge: Pick<Knowledge, 'bases' | 'retrieve'>, tenantId: string, text: string, limit = 3): Promise<Suggestion[]> {
  const bases = (await knowledge.bases.list(tenantId)).slice(0, MAX_BASES)
  const found = await Promise.all(bases.map((b) => knowledge.retrieve({ tenantId, knowledgeBase: b.name, query: text, limit })))
  return found.flat().sort((a, b) => b.score - a.score).slice(0, limit).map((p) => ({
    id: p.passageId, title: [p.title, ...p.headingPath.filter((h) => h !== p.title)].join(' › '), passage: p.text.slice(0, MAX_PASSAGE_CHARS),
    score: Math.round(p.score * 100) / 100,
  }))
}
