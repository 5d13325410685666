// Passage retrieval, on every customer turn: one query over the live passages of one knowledge base.
// Any text is a valid query: it is cut to words here, so no punctuation, NUL byte or size of input reaches
// Postgres' query parser, and the words are OR-ed so a long customer message still finds its passages.
import type { Sql } from '../postgres/client.ts'
import { asyncCommit } from '../postgres/async-commit.ts'

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
// ts_rank weights for D (body), C (title), B (headings), A (unused). Each query word's rank (normalised by
// passage length) is weighed by its inverse document frequency; words more than half the passages hold are left
// out unless nothing else is left. Chosen on the demo knowledge base's labelled questions
// (test/knowledge/retail-questions.ts): 29 of 30 find their article in the top 3, 23 first.
const WEIGHTS = '{0.4, 0.4, 0.6, 1.0}'
const COMMON_SHARE = 0.5

/** The distinct words of a query, lowercased, in order of appearance, within the bounds above. */
export function queryTerms(query: string): string[] {
  const terms = new Set<string>()
  for (const [word] of query.slice(0, MAX_SCANNED_CHARS).toLowerCase().matchAll(WORD)) {
    if (word.length <= MAX_TERM_CHARS) terms.add(word)
    if (terms.size === MAX_TERMS) break
  }
  return [...terms]
}

/** A passage as a turn records it: what the model reads and the reply cites. */
export type FoundPassage = Pick<RetrievedPassage, 'articleId' | 'passageId' | 'version' | 'title' | 'text'>

/** A turn's retrieval as recorded: the passages found, best first, before any screening. */
export interface RecordedRetrieval {
  found: FoundPassage[]
}

export function createRetrieval(sql: Sql) {
  return {
    /**
     * The passages best matching `query`, best first; [] when nothing matches or the tenant has no such
     * knowledge base. One round trip; the query is analysed once, then only passages holding one of its
     * informative words are ranked.
     */
    async retrieve(request: RetrieveRequest): Promise<RetrievedPassage[]> {
      const terms = queryTerms(request.query)
      if (terms.length === 0) return []
      return sql<RetrievedPassage[]>`${passagesQuery(sql, terms, request)}`
    },
    /**
     * A turn's retrieval, once: what it finds is recorded as the turn's step `step` in the same statement, and a turn
     * that recorded it already gets the recorded passages back (the first record wins). A checkpoint: it commits
     * asynchronously (see async-commit.ts).
     */
    async retrieveOnce(turnId: string, step: string, request: RetrieveRequest): Promise<RecordedRetrieval> {
      // The snapshot does not see a row `s` inserts, so the second part returns only an earlier record.
      const [row] = await sql<{ result: RecordedRetrieval }[]>`with found as (${passagesQuery(sql, queryTerms(request.query), request)}),
        s as (insert into turn_steps (turn_id, step, result)
          select ${turnId}, ${step}, (select jsonb_build_object('found', coalesce(jsonb_agg(jsonb_build_object('articleId', f."articleId",
            'passageId', f."passageId", 'version', f.version, 'title', f.title, 'text', f.text) order by f.score desc, f."articleId"), '[]'::jsonb))
            from found f)
          from ${asyncCommit(sql)}
          on conflict (turn_id, step) do nothing returning result)
        select result from s union all select result from turn_steps where turn_id = ${turnId} and step = ${step}`
      return row!.result
    },
  }
}

/** The retrieval query, best first (no terms: no rows). */
function passagesQuery(sql: Sql, terms: string[], request: RetrieveRequest) {
  const limit = Math.min(MAX_LIMIT, Math.max(1, Math.floor(request.limit ?? DEFAULT_LIMIT)))
  return sql`with kb as materialized (
      select id, language::regconfig as cfg, greatest(passages, 1)::float8 as n from knowledge_bases
      where tenant_id = ${request.tenantId} and name = ${request.knowledgeBase}),
    -- Each word analysed once, before any join, so no plan can repeat the analysis per candidate row.
    analysed as materialized (
      select (tsvector_to_array(to_tsvector(kb.cfg, w.word)))[1] as lexeme, to_tsquery(kb.cfg, w.word) as tq
      from kb cross join unnest(${terms}::text[]) w (word)),
    words as materialized (
      select distinct on (a.lexeme) a.tq, s.passages::float8 as df, kb.n
      from analysed a cross join kb join knowledge_lexemes s on s.kb_id = kb.id and s.lexeme = a.lexeme and s.passages > 0),
    kept as materialized (
      select tq, ln(1 + (n - df + 0.5) / (df + 0.5)) as idf from words
      where df <= n * ${COMMON_SHARE} or not exists (select 1 from words where df <= n * ${COMMON_SHARE})),
    q as materialized (select kb.id, (select string_agg(tq::text, ' | ') from kept)::tsquery as query from kb)
    select p.article_id as "articleId", p.passage_id as "passageId", p.version, p.title, p.heading_path as "headingPath", p.text,
      r.rank / (r.rank + 1) as score
    from q join knowledge_passages p on p.kb_id = q.id and p.live and p.tsv @@ q.query
    cross join lateral (select sum(k.idf * ts_rank(${WEIGHTS}::float4[], p.tsv, k.tq, 1))::float8 as rank from kept k where p.tsv @@ k.tq) r
    order by score desc, p.article_id, p.ordinal
    limit ${limit}`
}
