// Knowledge ingestion: Markdown and HTML articles parsed, chunked into passages under their headings and
// written as versions (storage/ owns the tables and the search query); folder imports, guarded page fetches
// and the re-index job's steps. Never imports queues or elysia: the composition root wires the job's queue.
export { parseDocument, parseHtml, parseMarkdown, type ArticleFormat, type Block, type ParsedDocument } from './document.ts'
export { chunkBlocks, type ChunkOptions, type Passage } from './chunker.ts'
/**
 * Parses, chunks and hashes an article before anything is stored.
 * @example prepareArticle(articleIdFor(kb.id, 'returns.md'), { format: 'markdown', content, key: 'returns.md' })
 */
export { articleIdFor, prepareArticle, type ArticleInput, type PrepareOptions, type PreparedArticle } from './article.ts'
/** The one way an article version is written (uploads, folder imports and URL fetches alike). */
export { writeArticle, type ArticleTarget } from './write-article.ts'
/** One page fetched with a deadline, a byte cap, content-type checks and no private addresses. */
export { fetchPage, type FetchedPage, type FetchPageOptions } from './fetch-page.ts'
export { isPublicAddress } from './public-address.ts'
/** A folder of .md/.html files imported, keyed by relative path (`bun main.ts admin import-knowledge`). */
export { importFolder, type FolderImportOptions, type ImportReport } from './folder-import.ts'
/**
 * The re-index job's body, run by a queue worker that the composition root starts.
 * @example startKnowledgeIndexWorker(bull, prefix, (id, run) => runner.run(id, run), { lockDurationMs })
 */
export { createReindexRunner, type JobAttempt, type ReindexOptions, type ReindexResult, type ReindexRunner } from './reindex-runner.ts'
/** The demo tenant's knowledge base (the retail policy and its help articles), loaded by the quick start. */
export { DEMO_KNOWLEDGE_BASE, ensureDemoKnowledge } from './demo.ts'
