// The one way an article version is written, whatever its source (upload, folder, URL): prepare it whole
// (parse, chunk, hash), then store it in one transaction. The id is given for an update by id, else it is
// derived from the key (a re-import lands on the same article) or new.
import type { ArticleSource, Knowledge, PutOptions, PutOutcome, TxSql } from '../storage/index.ts'
import { articleIdFor, prepareArticle, type ArticleInput, type PrepareOptions } from './article.ts'

export interface ArticleTarget {
  kbId: string
  source: ArticleSource
  /** Set to update a known article. */
  id?: string
}

/** Prepares and stores one version; throws `knowledge.no_text` or `knowledge.too_large` before writing anything. */
export async function writeArticle(
  articles: Pick<Knowledge['articles'], 'put'>,
  target: ArticleTarget,
  input: ArticleInput,
  options: PutOptions & PrepareOptions,
  tx?: TxSql,
): Promise<PutOutcome> {
  const id = target.id ?? articleIdFor(target.kbId, input.key)
  const prepared = prepareArticle(id, input, options)
  return articles.put({ id, kbId: target.kbId, key: input.key, source: target.source, ...prepared }, options, tx)
}
