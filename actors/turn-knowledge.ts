// The knowledge a turn retrieved, recorded once as a turn step: the conversation actor writes it before the
// first model call, and the provider actor reads it by the turn's id (the job carries a reference, not text).

export const KNOWLEDGE_STEP = 'knowledge'

export interface TurnPassage {
  articleId: string
  passageId: string
  version: number
  title: string
  text: string
}

/** Passages as the model reads them: numbered by their ids, so a reply can cite what it relied on. */
export function knowledgeNote(passages: readonly TurnPassage[]): string {
  if (passages.length === 0) return ''
  const items = passages.map((p) => `[${p.articleId}#${p.passageId}] ${p.title}\n${p.text}`)
  return `\n\nKnowledge base passages for this turn (answer from these and the tools; say so when they do not cover the question):\n${items.join('\n\n')}`
}

/** A model asked again after its reply failed the output checks is told what it got wrong. */
export function revisionNote(revise: { draft: string; reason: string } | undefined): string {
  if (!revise) return ''
  return `\n\nYour previous draft was not sent to the customer because ${revise.reason}. Answer again using only facts from the tool results and passages; if they do not support an answer, say you will pass the question to a colleague.\nPrevious draft: ${JSON.stringify(revise.draft)}`
}
