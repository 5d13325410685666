// A postal address as the customer types it ("123 Main St, Apt 4, Austin, TX 78701, USA"), split into
// the fields the address tools take. Only what the customer wrote: a missing country is asked for, never guessed.
import type { RetailAddress } from '../retail-types.ts'

const US_STATE = /^[A-Z]{2}$/

/** The address in a text, or undefined when it has no street line, city, state and zip. */
export function parseAddress(text: string): Partial<RetailAddress> | undefined {
  const start = /\b\d+\s+[A-Za-z]/.exec(text)
  if (!start) return undefined
  const parts = text.slice(start.index).split(/\s*[,\n]\s*/).map((p) => p.trim().replace(/[.!?]+$/, '')).filter((p) => p !== '')
  const zipAt = parts.findIndex((p, i) => i > 0 && /\b\d{5}\b/.test(p))
  if (zipAt < 0) return undefined
  const zipPart = parts[zipAt] ?? ''
  const zip = /\b(\d{5})\b/.exec(zipPart)?.[1] ?? ''
  const stateInZip = /\b([A-Z]{2})\s+\d{5}\b/.exec(zipPart)?.[1]
  const stateAt = stateInZip ? zipAt : zipAt - 1
  const state = stateInZip ?? (US_STATE.test(parts[stateAt] ?? '') ? parts[stateAt] : undefined)
  const cityAt = stateAt - 1
  if (!state || cityAt < 1) return undefined
  // The country ends where the sentence does ("…, USA. My email is …").
  const country = parts[zipAt + 1]?.split(/[.!?]\s/)[0]?.replace(/^the\s+/i, '')
  const address: Partial<RetailAddress> = {
    address1: parts[0] ?? '',
    address2: parts.slice(1, cityAt).join(', '),
    city: parts[cityAt] ?? '',
    state,
    zip,
  }
  if (country && /^[A-Za-z .]{2,40}$/.test(country)) address.country = /^(us|usa|u\.s\.a?\.?|united states(?: of america)?)$/i.test(country) ? 'USA' : country
  return address
}

/** Whether every field the tools need is there (address2 may be empty). */
export const isComplete = (a: Partial<RetailAddress>): a is RetailAddress =>
  Boolean(a.address1 && a.city && a.state && a.zip && a.country) && a.address2 !== undefined

/** The address fields in the order the tools and the AgentPolicy's summary name them. */
export const addressArgs = (a: RetailAddress): Record<string, string> =>
  ({ address1: a.address1, address2: a.address2, city: a.city, state: a.state, country: a.country, zip: a.zip })
