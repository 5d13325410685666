// Who the simulated customer is, read from the scenario's known and unknown info: name, zip, emails, user id,
// and what they cannot tell (an email they do not remember, an order number they forgot).
import type { UserInstructions } from '../scenarios/index.ts'

export interface Persona {
  firstName?: string
  lastName?: string
  zip?: string
  emails: string[]
  userId?: string
  /** Where they live, when the scenario gives the street address ("you live in 445 Maple Drive, …, 76165"). */
  address?: string
  /** They do not remember (or do not have) an email address. */
  forgetsEmail: boolean
  /** They do not remember the order number. */
  forgetsOrderId: boolean
  /** Reveals as little as possible: never volunteers identity before being asked. */
  reserved: boolean
  /** Speaks in short messages: one request at a time. */
  terse: boolean
}

const EMAIL = /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g
const USER_ID = /\b[a-z]+_[a-z]+_\d{4}\b/
const NAME_PATTERNS = [
  /\bname is ([A-Z][a-z]+)(?: ([A-Z][a-z]+))?/,
  /\bcalled ([A-Z][a-z]+)(?: ([A-Z][a-z]+))?/,
  /\b(?:You are|You're|I am) (?!an?\b|user\b|now\b|into\b)([A-Z][a-z]+)(?: ([A-Z][a-z]+))?/,
]

export function readPersona(instructions: UserInstructions): Persona {
  const known = instructions.known_info ?? ''
  const unknown = instructions.unknown_info ?? ''
  const userId = known.match(USER_ID)?.[0]
  const [first, last] = nameFrom(known) ?? []
  const fromId = userId?.split('_').map((p) => p[0]!.toUpperCase() + p.slice(1))
  const zips = known.match(/\b\d{5}\b/g)
  const style = instructions.task_instructions
  const address = /\blive (?:in|at) (\d+ [^.]*?\b\d{5})\b/i.exec(known)?.[1]
  return {
    firstName: first ?? fromId?.[0],
    lastName: last ?? fromId?.[1],
    zip: zips?.at(-1),
    emails: [...known.matchAll(EMAIL)].map((m) => m[0].replace(/\.$/, '')),
    userId,
    ...(address ? { address } : {}),
    forgetsEmail: /\b(not|n't) (remember|know|have)\b[^.]*\bemail/i.test(unknown),
    forgetsOrderId: /\b(not|n't) remember the order (number|id)/i.test(instructions.reason_for_call),
    reserved: /private|mysterious|reveal (minimal|much)|reluctant|do not want to reveal/i.test(style),
    terse: /brief|tersely|one thing at a time|piecewise|too many words/i.test(style),
  }
}

function nameFrom(text: string): [string, string | undefined] | undefined {
  for (const pattern of NAME_PATTERNS) {
    const m = text.match(pattern)
    if (m) return [m[1]!, m[2]]
  }
  return undefined
}

export const fullName = (p: Persona): string | undefined => (p.firstName ? [p.firstName, p.lastName].filter(Boolean).join(' ') : undefined)
