// Turns an article's Markdown or HTML into a flat list of headings and text blocks: the structure chunking
// keeps as context. Markdown goes through marked to HTML, so both formats share one reader (htmlparser2).
// Text only: nothing here renders, so raw HTML inside Markdown is read as text, never executed.
import { Parser } from 'htmlparser2'
import { marked } from 'marked'

export type ArticleFormat = 'markdown' | 'html'

export type Block = { kind: 'heading'; level: number; text: string } | { kind: 'text'; text: string }

export interface ParsedDocument {
  /** The HTML `<title>`, else the first top-level heading. */
  title?: string
  blocks: Block[]
}

// Content that is not article text: code run by browsers, and page furniture around the article.
const SKIPPED = new Set(['script', 'style', 'noscript', 'template', 'svg', 'iframe', 'canvas', 'nav', 'footer', 'aside', 'form', 'button', 'select'])
const BLOCKS = new Set([
  'p', 'div', 'section', 'article', 'main', 'header', 'li', 'ul', 'ol', 'dl', 'dt', 'dd', 'tr', 'table', 'thead', 'tbody',
  'pre', 'blockquote', 'figure', 'figcaption', 'caption', 'details', 'summary', 'hr', 'br', 'body', 'html',
])
const HEADING = /^h([1-6])$/
const squash = (s: string) => s.replace(/\s+/g, ' ').trim()

interface Reader {
  blocks: Block[]
  /** Blocks read inside `<main>`; a page that has one is read from it alone. */
  main: Block[]
  text: string
  heading?: number
  title?: string
  inTitle: boolean
  skipDepth: number
  mainDepth: number
}

function flush(r: Reader): void {
  const text = squash(r.text.replace(/(\s*\|\s*)+$/, ''))
  r.text = ''
  if (!text) return
  const block: Block = r.heading ? { kind: 'heading', level: r.heading, text } : { kind: 'text', text }
  r.blocks.push(block)
  if (r.mainDepth > 0) r.main.push(block)
}

function openTag(r: Reader, name: string): void {
  if (SKIPPED.has(name) || r.skipDepth > 0) return void (SKIPPED.has(name) && r.skipDepth++)
  if (name === 'title') return void (r.inTitle = true)
  if (name === 'main') r.mainDepth++
  const heading = HEADING.exec(name)
  if (heading || BLOCKS.has(name)) flush(r)
  if (heading) r.heading = Number(heading[1])
  if ((name === 'td' || name === 'th') && r.text.trim()) r.text += ' | '
}

function closeTag(r: Reader, name: string): void {
  if (SKIPPED.has(name)) return void (r.skipDepth = Math.max(0, r.skipDepth - 1))
  if (r.skipDepth > 0) return
  if (name === 'title') return void (r.inTitle = false)
  if (HEADING.test(name) || BLOCKS.has(name)) flush(r)
  if (HEADING.test(name)) r.heading = undefined
  if (name === 'main') r.mainDepth = Math.max(0, r.mainDepth - 1)
}

/** Reads HTML (a whole page or a fragment) into blocks. */
export function parseHtml(html: string): ParsedDocument {
  const r: Reader = { blocks: [], main: [], text: '', inTitle: false, skipDepth: 0, mainDepth: 0 }
  const parser = new Parser({
    onopentag: (name) => openTag(r, name),
    onclosetag: (name) => closeTag(r, name),
    ontext: (text) => {
      if (r.inTitle) r.title = (r.title ?? '') + text
      else if (r.skipDepth === 0) r.text += text
    },
  }, { decodeEntities: true })
  parser.write(html)
  parser.end()
  flush(r)
  const blocks = r.main.length > 0 ? r.main : r.blocks
  const title = squash(r.title ?? '') || blocks.find((b) => b.kind === 'heading' && b.level === 1)?.text
  return title ? { title, blocks } : { blocks }
}

/** Reads Markdown (GitHub flavour) into blocks. */
export function parseMarkdown(markdown: string): ParsedDocument {
  return parseHtml(marked.parse(markdown, { async: false, gfm: true }))
}

export function parseDocument(format: ArticleFormat, content: string): ParsedDocument {
  return format === 'html' ? parseHtml(content) : parseMarkdown(content)
}
