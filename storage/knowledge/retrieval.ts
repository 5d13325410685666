// Passage retrieval, on every customer turn: one indexed query over the live passages of one knowledge base.
// Any text is a valid query: it is cut to words here, so no punctuation, NUL byte or size of input reaches
// Postgres' query parser, and the words are OR-ed so a long customer message still finds its passages.
import type { Sql } from '../postgres/client.ts'

export interface RetrieveRequest {
  tenantId: string
  /** The knowledge base's name. */
  knowledgeBase: string
  /** Any text, typically the customer's message. */
  query: string
  /** @defaultValue 5 (at most 50) */
  limit?: number
}

export interface RetrievedPassage {
  articleId: string
  passageId: string
  /** The article version the passage belongs to (the current one). */
  version: number
  title: string
  /** The headings above the passage, outermost first. */
  headingPath: string[]
  /** The passage itself: what a grounding check compares a reply against. */
  text: string
  /** Relevance in (0, 1); higher is better. Comparable within one query only. */
  score: number
}

// Bounds on the work one query costs, whatever the customer typed.
const MAX_SCANNED_CHARS = 4000
const MAX_TERMS = 32
const MAX_TERM_CHARS = 64
const DEFAULT_LIMIT = 5
const MAX_LIMIT = 50
const WORD = /[\p{L}\p{M}\p{N}]+/gu
// ts_rank weights for D (body), C (title), B (headings), A (unused), and its normalization: 1 divides by
// 1 + log(length) so long passages do not win by size, 32 maps the rank into (0, 1). Chosen on the demo
// knowledge base's labelled questions (test/knowledge/retail-questions.ts): 27 of 30 find their article in the top 3.
const WEIGHTS = '{0.4, 0.4, 0.6, 1.0}'
const NORMALIZATION = 1 | 32

/** The distinct words of a query, lowercased, in order of appearance, within the bounds above. */
export function queryTerms(query: string): string[] {
  const terms = new Set<string>()
  for (const [word] of query.slice(0, MAX_SCANNED_CHARS).toLowerCase().matchAll(WORD)) {
    if (word.length <= MAX_TERM_CHARS) terms.add(word)
    if (terms.size === MAX_TERMS) break
  }
  return [...terms]
}

export function createRetrieval(sql: Sql) {
  return {
    /**
     * The passages best matching `query`, best first; [] when nothing matches or the tenant has no such
     * knowledge base.
     */
    async retrieve(request: RetrieveRequest): Promise<RetrievedPassage[]> {
      const terms = queryTerms(request.query)
      if (terms.length === 0) return []
      const limit = Math.min(MAX_LIMIT, Math.max(1, Math.floor(request.limit ?? DEFAULT_LIMIT)))
      return sql<RetrievedPassage[]>`select p.article_id as "articleId", p.passage_id as "passageId", p.version, p.title,
          p.heading_path as "headingPath", p.text, ts_rank(${WEIGHTS}::float4[], p.tsv, q.query, ${NORMALIZATION})::float8 as score
        from knowledge_bases kb
        cross join lateral (select to_tsquery(kb.language::regconfig, ${terms.join(' | ')}) as query) q
        join knowledge_passages p on p.kb_id = kb.id and p.live and p.tsv @@ q.query
        where kb.tenant_id = ${request.tenantId} and kb.name = ${request.knowledgeBase}
        order by score desc, p.article_id, p.ordinal
        limit ${limit}`
    },
  }
}
export type Retrieval = ReturnType<typeof createRetrieval>
