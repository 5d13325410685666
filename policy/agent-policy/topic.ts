// Whether a customer message opens a new request (whose topic the policy judges) or answers what the agent just
// asked (an email, an order id, a yes): the answers to the agent's own questions are never declined. Pure.
import { answerOf } from './consent.ts'

// Ids, emails, zip codes and amounts: what customers answer the agent's questions with.
const ANSWER_ENTITIES = /[@#]|\b\d{3,}\b|\b[a-z]+_[a-z]+_\d+\b/i

export function isNewRequest(text: string, lastShown: string | undefined): boolean {
  if (!lastShown) return true
  if (answerOf(text) !== 'other') return false
  const asked = /\?\s*$/.test(lastShown.trim()) || /reply "yes"/i.test(lastShown) || /\bplease (share|tell|provide|give)\b/i.test(lastShown)
  if (!asked) return true
  return !(ANSWER_ENTITIES.test(text) || text.trim().split(/\s+/).length <= 3)
}
