// An article ready to store: parsed, chunked, titled and hashed, all before anything is written, so a bad
// upload fails whole. Keyed articles (a file path, a URL, a client's own key) get an id derived from their
// knowledge base and key: a re-import finds the same article, and its passages keep their ids.
import { createHash } from 'node:crypto'
import { AppError } from '../lib/errors.ts'
import { chunkBlocks, type ChunkOptions, type Passage } from './chunker.ts'
import { parseDocument, type ArticleFormat } from './document.ts'

export interface ArticleInput {
  format: ArticleFormat
  content: string
  /** Wins over the document's own title. */
  title?: string
  /** Where the article came from: a file path, a URL or the client's key; names the article when it has no title. */
  key?: string
}

export interface PreparedArticle {
  title: string
  format: ArticleFormat
  content: string
  /** Hash of format, title and content: an update with the same hash is no new version. */
  contentHash: string
  passages: Passage[]
}

export interface PrepareOptions extends ChunkOptions {
  /** Longest content, in UTF-8 bytes. @defaultValue 2 MiB */
  maxBytes?: number
}

const MAX_TITLE_CHARS = 300
const DEFAULT_MAX_BYTES = 2 * 1024 * 1024
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex')
// Postgres text cannot hold NUL, and no article means one.
const withoutNul = (s: string) => s.replaceAll('\u0000', '')

/** The id of the article under `key` in a knowledge base, or a new random id for an unkeyed one. */
export function articleIdFor(kbId: string, key?: string): string {
  return key === undefined ? `art_${Bun.randomUUIDv7().replaceAll('-', '')}` : `art_${sha256(`${kbId}\u0000${key}`).slice(0, 32)}`
}

function titleFromKey(key: string | undefined): string | undefined {
  const last = key?.replace(/[?#].*$/, '').split(/[\\/]/).filter(Boolean).pop()
  const name = last?.replace(/\.(md|markdown|html?|txt)$/i, '').replace(/[-_]+/g, ' ').trim()
  return name ? name[0]!.toUpperCase() + name.slice(1) : undefined
}

/** Parses and chunks an article; throws `knowledge.too_large` or `knowledge.no_text` (nothing to store). */
export function prepareArticle(articleId: string, input: ArticleInput, options: PrepareOptions = {}): PreparedArticle {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES
  if (Buffer.byteLength(input.content) > maxBytes) throw new AppError('knowledge.too_large', `the article is larger than ${maxBytes} bytes`)
  const content = withoutNul(input.content)
  const parsed = parseDocument(input.format, content)
  const passages = chunkBlocks(articleId, parsed.blocks, options)
  if (passages.length === 0) throw new AppError('knowledge.no_text', 'the article has no text to index')
  const title = (withoutNul(input.title ?? '').trim() || parsed.title || titleFromKey(input.key) || 'Untitled').slice(0, MAX_TITLE_CHARS)
  const contentHash = sha256([input.format, title, content].join('\u0000'))
  return { title, format: input.format, content, contentHash, passages }
}
