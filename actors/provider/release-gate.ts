// The streaming release gate: a reply streams to the customer sentence by sentence, and each sentence is checked
// before it is released (grounding against the turn's tool results and passages, card numbers). The first
// sentence that fails stops the stream: the rest waits for the turn's output checks, which decide what the
// customer sees. Text before a claim is released at once; a claim is released only once it is supported.
import { checkGrounding, containsCardNumber, indexContext, type GroundingIndex } from '../../policy/index.ts'
import type { ChatTurn } from '../protocol.ts'
import type { PublishDelta } from './streamed-call.ts'

/** The end of a sentence: terminal punctuation followed by space, or a line break. */
const SENTENCE_END = /[.!?](?:["')\]]*)\s+|\n+/g

export interface ReleaseGate {
  publish: PublishDelta
}

/** `allowed(sentence)` says whether one complete sentence may be shown now. */
export function createReleaseGate(allowed: (sentence: string) => boolean, release: PublishDelta): ReleaseGate {
  let pending = ''
  let sent = 0
  let stopped = false
  return {
    publish(delta) {
      if (stopped) return
      pending += delta
      let cut = 0
      for (const m of pending.matchAll(SENTENCE_END)) {
        const end = m.index + m[0].length
        const sentence = pending.slice(cut, end)
        if (!allowed(sentence)) {
          stopped = true
          return
        }
        release(sentence, sent++)
        cut = end
      }
      pending = pending.slice(cut)
    },
  }
}

/** A sentence may be shown when it carries no card number and, where grounding is on, every claim is supported. */
export function sentenceCheck(history: readonly ChatTurn[], sources: readonly string[], grounding: boolean): (sentence: string) => boolean {
  let index: GroundingIndex | undefined
  return (sentence) => {
    if (containsCardNumber(sentence)) return false
    if (!grounding) return true
    index ??= indexContext({
      toolResults: history.filter((t) => t.role === 'tool' && !t.isError).map((t) => t.text),
      passages: sources,
      customerMessages: history.filter((t) => t.role === 'customer').map((t) => t.text),
      earlierReplies: history.filter((t) => t.role === 'assistant' && !t.toolCalls?.length).map((t) => t.text),
    })
    return checkGrounding(sentence, index).verdict === 'allow'
  }
}
