// An extractive summary of a conversation for the person taking over: the customer's most telling sentences, in the
// order they were said, then what the AI agent did and why it handed over. Offline and deterministic: it quotes,
// it never invents.
import type { PackageAction } from '../../storage/index.ts'

const STOPWORDS = new Set(('a an and are as at be but by can could did do does for from had has have hello hi how i i\'m if in ' +
  'is it its me my no not of on or our please so that the their them then there this to up was we were what when where which ' +
  'who will with would you your yes ok okay thanks thank').split(' '))
const MAX_SENTENCES = 3
const MAX_SENTENCE_CHARS = 200

interface Sentence {
  text: string
  order: number
  words: string[]
}

function sentencesOf(texts: string[]): Sentence[] {
  const out: Sentence[] = []
  for (const text of texts) {
    for (const raw of text.split(/(?<=[.!?])\s+|\n+/)) {
      const trimmed = raw.trim()
      const words = (trimmed.toLowerCase().match(/[a-z0-9#@.'-]+/g) ?? []).filter((w) => !STOPWORDS.has(w) && w.length > 1)
      if (words.length > 0) out.push({ text: trimmed, order: out.length, words })
    }
  }
  return out
}

/** Luhn-style salience: a sentence scores the mean frequency of its content words; the opening request is kept. */
function salient(sentences: Sentence[]): Sentence[] {
  const frequency = new Map<string, number>()
  for (const s of sentences) for (const w of new Set(s.words)) frequency.set(w, (frequency.get(w) ?? 0) + 1)
  const score = (s: Sentence) =>
    s.words.reduce((n, w) => n + (frequency.get(w) ?? 0) + (/\d/.test(w) ? 1 : 0), 0) / Math.sqrt(s.words.length)
  const [first, ...rest] = sentences
  if (!first) return []
  const picked = [first, ...rest.sort((a, b) => score(b) - score(a) || a.order - b.order).slice(0, MAX_SENTENCES - 1)]
  return picked.sort((a, b) => a.order - b.order)
}

const clip = (text: string) => (text.length > MAX_SENTENCE_CHARS ? `${text.slice(0, MAX_SENTENCE_CHARS - 1)}…` : text)

function actionsLine(actions: PackageAction[]): string {
  if (actions.length === 0) return 'The AI agent took no action.'
  const described = actions.map((a) => `${a.tool} (${a.ok === null ? 'no result' : a.ok ? 'ok' : 'failed'})`)
  return `The AI agent ran ${described.join(', ')}.`
}

/**
 * @example summarize(['Hi, where is my order #W1?', 'Still nothing!'], [], 'Customer asked for a person')
 * // 'Customer: "Hi, where is my order #W1?" "Still nothing!" The AI agent took no action. Handed over: Customer asked…'
 */
export function summarize(customerTexts: string[], actions: PackageAction[], reasonLabel: string): string {
  const quoted = salient(sentencesOf(customerTexts)).map((s) => `"${clip(s.text)}"`)
  const said = quoted.length > 0 ? `Customer: ${quoted.join(' ')}` : 'The customer has not written yet.'
  return `${said} ${actionsLine(actions)} Handed over: ${reasonLabel}.`
}
