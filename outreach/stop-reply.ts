// Whether a customer's reply asks us to stop contacting them: a carrier stop keyword alone in the message, so
// "don't stop my order" is a normal reply. CTIA's CANCEL is left out: in a shop it means the order. Pure.
const STOP_WORDS = new Set(['stop', 'stopall', 'unsubscribe', 'end', 'quit', 'opt out', 'optout'])

export function isStopReply(text: string): boolean {
  return STOP_WORDS.has(text.trim().toLowerCase().replace(/[.!]+$/, ''))
}
