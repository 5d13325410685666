// Imports a folder of Markdown and HTML files into a knowledge base, keyed by their paths relative to the
// folder: a changed file becomes a new version, an unchanged one is left alone, and (with `prune`) an
// article whose file is gone is deleted. Runs in process: local files are fast, and the operator waits.
import { readdir, readFile, stat } from 'node:fs/promises'
import { join, relative, sep } from 'node:path'
import { AppError } from '../lib/errors.ts'
import type { Knowledge } from '../storage/index.ts'
import type { PrepareOptions } from './article.ts'
import type { ArticleFormat } from './document.ts'
import { writeArticle } from './write-article.ts'

export interface FolderImportOptions extends PrepareOptions {
  root: string
  /** Paths relative to `root`; default: every .md, .markdown, .html and .htm file under it. */
  files?: string[]
  /** Delete the knowledge base's folder articles whose file is not imported. @defaultValue true */
  prune?: boolean
}

export interface ImportReport {
  created: string[]
  updated: string[]
  unchanged: string[]
  removed: string[]
  failed: { file: string; code: string; message: string }[]
}

const FORMATS: Record<string, ArticleFormat> = { md: 'markdown', markdown: 'markdown', html: 'html', htm: 'html' }
const formatOf = (file: string) => FORMATS[file.split('.').pop()?.toLowerCase() ?? '']

async function listFiles(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true })
  return entries.filter((e) => e.isFile() && formatOf(e.name))
    .map((e) => relative(root, join(e.parentPath, e.name)).split(sep).join('/'))
    .sort()
}

async function importFile(
  knowledge: Pick<Knowledge, 'articles'>, kbId: string, file: string, o: FolderImportOptions,
): Promise<'created' | 'updated' | 'unchanged'> {
  const format = formatOf(file)
  if (!format) throw new AppError('knowledge.unsupported_type', `${file} is not a Markdown or HTML file`)
  const path = join(o.root, file)
  const maxBytes = o.maxBytes ?? Number.POSITIVE_INFINITY
  if ((await stat(path)).size > maxBytes) throw new AppError('knowledge.too_large', `${file} is larger than ${maxBytes} bytes`)
  const outcome = await writeArticle(knowledge.articles, { kbId, source: 'folder' }, { format, content: await readFile(path, 'utf8'), key: file },
    { ...o, mode: 'upsert' })
  if (!outcome.ok) throw new AppError('conflict', `${file} could not be written (${outcome.reason})`)
  return !outcome.changed ? 'unchanged' : outcome.article.version === 1 ? 'created' : 'updated'
}

/** Imports the files; a file that fails is reported and the others still go in. */
export async function importFolder(knowledge: Pick<Knowledge, 'articles'>, kbId: string, o: FolderImportOptions): Promise<ImportReport> {
  const report: ImportReport = { created: [], updated: [], unchanged: [], removed: [], failed: [] }
  const files = o.files ?? (await listFiles(o.root))
  for (const file of files) {
    try {
      report[await importFile(knowledge, kbId, file, o)].push(file)
    } catch (e) {
      if (!(e instanceof AppError) && (e as NodeJS.ErrnoException).code === undefined) throw e
      report.failed.push({ file, code: e instanceof AppError ? e.code : 'not_found', message: (e as Error).message })
    }
  }
  if (o.prune ?? true) {
    const kept = new Set(files)
    for (const stale of (await knowledge.articles.keyed(kbId, 'folder')).filter((a) => !kept.has(a.key))) {
      await knowledge.articles.remove(kbId, stale.id)
      report.removed.push(stale.key)
    }
  }
  return report
}
