// The streaming release gate: a reply streams to the customer as it is written, and each sentence is checked
// before its end is released (grounding against the turn's tool results and passages, card numbers). Words that
// cannot be part of a claim go out at once; a sentence with a claim waits until it is complete and supported. The
// first sentence that fails stops the stream: the turn's output checks decide what the customer sees instead.
import { checkGrounding, containsCardNumber, indexContext, type GroundingIndex } from '../../policy/index.ts'
import type { ChatTurn } from '../protocol.ts'
import type { PublishDelta } from './streamed-call.ts'

/** The end of a sentence: terminal punctuation followed by space, or a line break. */
const SENTENCE_END = /[.!?](?:["')\]]*)\s+|\n+/g

export interface ReleaseGate {
  publish: PublishDelta
}

/** Characters that may be the start of a claim not yet complete (an amount, a date, an id). */
const PARTIAL_FACT = /[\d$€£%#@]/

/**
 * `allowed(text)` says whether text may be shown now: called on each complete sentence, and on the words of an
 * unfinished one, which go out at once while they hold nothing that could be the start of a claim.
 */
export function createReleaseGate(allowed: (text: string) => boolean, release: PublishDelta): ReleaseGate {
  let pending = ''
  // How much of `pending` (the unfinished sentence) the customer already has.
  let shown = 0
  let sent = 0
  let stopped = false
  const show = (text: string) => {
    if (text) release(text, sent++)
  }
  return {
    publish(delta) {
      if (stopped) return
      pending += delta
      let cut = 0
      for (const m of pending.matchAll(SENTENCE_END)) {
        const end = m.index + m[0].length
        if (!allowed(pending.slice(cut, end))) {
          stopped = true
          return
        }
        show(pending.slice(Math.max(cut, shown), end))
        cut = end
      }
      pending = pending.slice(cut)
      shown = Math.max(0, shown - cut)
      // The unfinished sentence's whole words, when they cannot be part of a claim yet.
      const words = pending.slice(0, pending.lastIndexOf(' ') + 1)
      if (words.length > shown && !PARTIAL_FACT.test(words) && allowed(words)) {
        show(words.slice(shown))
        shown = words.length
      }
    },
  }
}

/** A sentence may be shown when it carries no card number and, where grounding is on, every claim is supported. */
export function sentenceCheck(history: readonly ChatTurn[], sources: readonly string[], grounding: boolean): (sentence: string) => boolean {
  let index: GroundingIndex | undefined
  return (sentence) => {
    if (containsCardNumber(sentence)) return false
    if (!grounding) return true
    return checkGrounding(sentence, () => (index ??= indexContext({
      toolResults: history.filter((t) => t.role === 'tool' && !t.isError).map((t) => t.text),
      passages: sources,
      customerMessages: history.filter((t) => t.role === 'customer').map((t) => t.text),
      earlierReplies: history.filter((t) => t.role === 'assistant' && !t.toolCalls?.length).map((t) => t.text),
    }))).verdict === 'allow'
  }
}
