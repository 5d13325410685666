// What a request covers, read from how the customer says it: "cancel or return all my orders" is two requests
// (cancelling what is pending, returning what was delivered), and "Well, except the boots I love" narrows the
// sentence before it rather than asking for anything itself.

// "Cancel or return all possible orders", "return or cancel everything": one wish for every order, by its status.
const eitherChange = /^(?<head>.*?\b)(?<first>cancel|return)\s+(?:or|and\/or)\s+(?:to\s+)?(?:cancel|return)\b(?<tail>.*)$/i
const everything = /\b(?:all|every|each)\b[^.?!]*\borders?\b|\beverything\b/i

/** The sentence as the two requests it makes (cancel, then return, in the customer's order), else itself. */
export function withEitherChange(sentence: string): string[] {
  const m = eitherChange.exec(sentence)?.groups
  if (!m || !everything.test(m.tail ?? '')) return [sentence]
  const order = m.first?.toLowerCase() === 'return' ? ['return', 'cancel'] : ['cancel', 'return']
  return order.map((verb) => `${m.head}${verb}${m.tail}`)
}

// "Well, except the boots that I really love, but I am happy to exchange them …": the exception up to ", but".
const exception = /^(?<except>(?:well,?\s+|oh,?\s+|but\s+)?except\b[^,]*?)(?:,\s*(?<rest>but\b.*))?$/i

/** Sentences with each exception joined to the sentence before it; what follows the exception stays a sentence. */
export function withExceptionsJoined(sentences: string[]): string[] {
  return sentences.reduce<string[]>((out, s) => {
    const m = exception.exec(s)?.groups
    if (!m || out.length === 0) return [...out, s]
    return [...out.slice(0, -1), `${out.at(-1)} ${m.except}`, ...(m.rest ? [m.rest] : [])]
  }, [])
}
