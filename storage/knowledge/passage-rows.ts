// How a passage is stored for search: its text under weight D, its title under C and its headings under B,
// each analysed with its knowledge base's text-search language. Shared by article writes and re-chunking.
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

/** Inserts the passages of one version as live, in one statement. */
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
}
