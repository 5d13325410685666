// Whether a customer message opens a new request (whose topic the policy judges) or answers what the agent just
// asked (an email, an order id, a yes): the answers to the agent's own questions are never declined. Pure.
import { answerOf } from './consent.ts'

// Ids, emails, zip codes and amounts: what customers answer the agent's questions with.
const ANSWER_ENTITIES = /[@#]|\b\d{3,}\b|\b[a-z]+_[a-z]+_\d+\b/i

// A proposal waiting for the customer's yes ('… Shall I go ahead? Please reply "yes" to confirm.').
const PROPOSAL = /reply "yes"|\b(?:shall|should) i (?:go ahead|proceed)\b[^?]*\?\s*$/i

// What the customer says to a proposal is about it, a yes or not ("I regret and want to keep it", "Not yet: I also
// want to return the watch"); past this length it is a request of its own and the topic boundary judges it.
const PROPOSAL_REPLY_WORDS = 20

// "I'm not sure. What would you suggest?", "Whatever you think is right.": short replies carry on the task in hand.
const SHORT_REPLY_WORDS = 8

// The agent's question, wherever it stands: the choices it offers may follow it ("Which payment method should settle
// the difference? On your profile: …"). A question it quotes is the customer's, not the agent's.
const QUESTION = /\?(?=\s|$)/
const QUOTED = /["“][^"”]*["”]/g

const words = (text: string): number => text.trim().split(/\s+/).length

// Words of the agent's question too common to show that a reply is about it.
const COMMON = new Set('would which what like want your with that this have from please them they there their could about'.split(' '))
const contentWords = (text: string): string[] => (text.toLowerCase().match(/[a-z]{4,}/g) ?? []).filter((w) => !COMMON.has(w))

// "Get the hiking boots with a size 9 but made of leather" to "Which one would you like instead? Hiking Boots (9,
// leather, …)": a reply that takes up what the question was about answers it, however long.
const takesUp = (text: string, question: string): boolean => {
  const asked = new Set(contentWords(question))
  return contentWords(text).some((w) => asked.has(w))
}

export function isNewRequest(text: string, lastShown: string | undefined): boolean {
  if (!lastShown) return true
  if (answerOf(text) !== 'other') return false
  if (PROPOSAL.test(lastShown) && words(text) <= PROPOSAL_REPLY_WORDS) return false
  const asked = QUESTION.test(lastShown.replace(QUOTED, ' ')) || /\bplease (share|tell|provide|give)\b/i.test(lastShown)
  if (!asked) return true
  return !(ANSWER_ENTITIES.test(text) || words(text) <= SHORT_REPLY_WORDS || takesUp(text, lastShown))
}
