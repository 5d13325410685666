// Cuts a parsed article into passages: runs of text under one heading path, at most `maxChars` long, never
// across a heading, so each passage carries the headings it sits under. A passage's id is a hash of its
// article, headings and text, so re-indexing unchanged text gives the same ids (citations stay valid).
import { createHash } from 'node:crypto'
import type { Block } from './document.ts'

export interface Passage {
  /** `psg_` and 24 hex digits; the same for the same article, heading path and text. */
  id: string
  /** Position in the article, from 0. */
  ordinal: number
  /** The headings above the passage, outermost first. */
  headingPath: string[]
  text: string
}

export interface ChunkOptions {
  /** Longest passage, in characters (a longer paragraph is cut at sentence ends). @defaultValue 1000 */
  maxChars?: number
}

interface Section {
  headingPath: string[]
  texts: string[]
}

function sections(blocks: Block[]): Section[] {
  const stack: { level: number; text: string }[] = []
  const out: Section[] = [{ headingPath: [], texts: [] }]
  for (const block of blocks) {
    if (block.kind === 'text') {
      out[out.length - 1]!.texts.push(block.text)
      continue
    }
    while (stack.length > 0 && stack[stack.length - 1]!.level >= block.level) stack.pop()
    stack.push({ level: block.level, text: block.text })
    out.push({ headingPath: stack.map((h) => h.text), texts: [] })
  }
  return out.filter((s) => s.texts.length > 0)
}

/** Splits text longer than `max` at sentence ends, and a sentence longer than `max` at spaces. */
function pieces(text: string, max: number): string[] {
  if (text.length <= max) return [text]
  const out: string[] = []
  let current = ''
  for (const sentence of text.split(/(?<=[.!?;:])\s+/)) {
    for (const part of sentence.length > max ? hardSplit(sentence, max) : [sentence]) {
      if (current && current.length + 1 + part.length > max) out.push(current), (current = '')
      current = current ? `${current} ${part}` : part
    }
  }
  if (current) out.push(current)
  return out
}

function hardSplit(text: string, max: number): string[] {
  const out: string[] = []
  let rest = text
  while (rest.length > max) {
    const space = rest.lastIndexOf(' ', max)
    const cut = space > max / 2 ? space : max
    out.push(rest.slice(0, cut).trim())
    rest = rest.slice(cut).trim()
  }
  if (rest) out.push(rest)
  return out
}

/** Packs a section's blocks into passages of at most `max` characters, one block per line. */
function pack(texts: string[], max: number): string[] {
  const out: string[] = []
  let current = ''
  for (const piece of texts.flatMap((t) => pieces(t, max))) {
    if (current && current.length + 1 + piece.length > max) out.push(current), (current = '')
    current = current ? `${current}\n${piece}` : piece
  }
  if (current) out.push(current)
  return out
}

/** The passages of one article version, in reading order. */
export function chunkBlocks(articleId: string, blocks: Block[], options: ChunkOptions = {}): Passage[] {
  const max = options.maxChars ?? 1000
  const seen = new Map<string, number>()
  const passages: Passage[] = []
  for (const section of sections(blocks)) {
    for (const text of pack(section.texts, max)) {
      const basis = [articleId, section.headingPath.join('\u001f'), text].join('\u0000')
      // The same text twice under the same headings: the second one's id also hashes its occurrence.
      const occurrence = seen.get(basis) ?? 0
      seen.set(basis, occurrence + 1)
      const hash = createHash('sha256').update(occurrence === 0 ? basis : `${basis}\u0000${occurrence}`).digest('hex')
      passages.push({ id: `psg_${hash.slice(0, 24)}`, ordinal: passages.length, headingPath: section.headingPath, text })
    }
  }
  return passages
}
