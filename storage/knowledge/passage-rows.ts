// How passages are stored for search, and the statistics search weighs words by. A passage's text is indexed
// under weight D, its title under C and its headings under B, with its knowledge base's text-search language.
// Making passages live or retiring them also counts their lexemes (knowledge_lexemes) and the knowledge base's
// live passages, in the caller's transaction, after `lockKnowledgeBase`.
import type { TransactionSql } from 'postgres'

export interface PassageRecord {
  id: string
  ordinal: number
  headingPath: string[]
  text: string
}

export interface PassageOwner {
  articleId: string
  version: number
  kbId: string
  title: string
}

/** Serialises the knowledge base's writers, so their statistics updates never deadlock. */
export async function lockKnowledgeBase(tx: TransactionSql, kbId: string): Promise<void> {
  await tx`select 1 from knowledge_bases where id = ${kbId} for update`
}

/** Adds `sign` × the lexemes of one version's live passages to the statistics (`sign` is 1 or -1). */
async function count(tx: TransactionSql, kbId: string, articleId: string, version: number, sign: 1 | -1): Promise<void> {
  await tx`with counted as (
      select l.lexeme, count(*)::int as n from knowledge_passages p, unnest(tsvector_to_array(p.tsv)) l (lexeme)
      where p.article_id = ${articleId} and p.version = ${version} and p.live group by l.lexeme order by l.lexeme)
    insert into knowledge_lexemes (kb_id, lexeme, passages) select ${kbId}, lexeme, ${sign} * n from counted
    on conflict (kb_id, lexeme) do update set passages = knowledge_lexemes.passages + excluded.passages`
  await tx`update knowledge_bases set passages = passages + ${sign} * (select count(*)::int from knowledge_passages
    where article_id = ${articleId} and version = ${version} and live) where id = ${kbId}`
}

/** Inserts the passages of one version as live, in one statement, and counts them. */
export async function insertPassages(tx: TransactionSql, owner: PassageOwner, passages: PassageRecord[]): Promise<void> {
  if (passages.length === 0) return
  const rows = passages.map((p) => ({ id: p.id, ordinal: p.ordinal, heading_path: p.headingPath, text: p.text }))
  await tx`insert into knowledge_passages (article_id, version, passage_id, kb_id, ordinal, title, heading_path, text, tsv, live)
    select ${owner.articleId}, ${owner.version}, p.id, kb.id, p.ordinal, ${owner.title}, p.heading_path, p.text,
      setweight(to_tsvector(kb.language::regconfig, p.text), 'D')
      || setweight(to_tsvector(kb.language::regconfig, ${owner.title}), 'C')
      || setweight(to_tsvector(kb.language::regconfig, array_to_string(p.heading_path, ' ')), 'B'),
      true
    from jsonb_to_recordset(${tx.json(rows)}) as p(id text, ordinal int, heading_path text[], text text)
    join knowledge_bases kb on kb.id = ${owner.kbId}`
  await count(tx, owner.kbId, owner.articleId, owner.version, 1)
}

/** Takes the article's live passages out of search (and out of the statistics). */
export async function retirePassages(tx: TransactionSql, kbId: string, articleId: string): Promise<void> {
  const live = await tx<{ version: number }[]>`select distinct version from knowledge_passages where article_id = ${articleId} and live`
  for (const { version } of live) await count(tx, kbId, articleId, version, -1)
  await tx`update knowledge_passages set live = false where article_id = ${articleId} and live`
}
