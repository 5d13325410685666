// A postal address as the customer types it ("123 Main St, Apt 4, Austin, TX 78701, USA"), split into
// the fields the address tools take. A state left out is the one the US zip code belongs to, and a US state
// with its zip code is in the USA; any other missing country is asked for, never guessed.
import type { RetailAddress } from '../retail-types.ts'
import { isUsState, stateCode, stateOfZip } from './us-states.ts'

const US_STATE = /^[A-Z]{2}$/
// "Apt 4", "Suite 394": an address line, never a city.
const addressLine = /^(?:apt|apartment|suite|ste|unit|floor|fl|room|building|bldg|#)\b/i

/** The state, and where it sits among the parts, given the part that holds the zip code. */
function stateOf(parts: string[], zipAt: number, zip: string): { state?: string; at: number } {
  const inZip = /\b([A-Z]{2})\s+\d{5}\b/.exec(parts[zipAt] ?? '')?.[1]
  if (inZip) return { state: inZip, at: zipAt }
  const before = parts[zipAt - 1] ?? ''
  const named = stateCode(before) ?? (US_STATE.test(before) ? before : undefined)
  // "101 Highway, New York, 10001": New York is the city when nothing but the street line is before it.
  const city = parts[zipAt - 2]
  if (named && zipAt - 2 >= 1 && city !== undefined && !addressLine.test(city)) return { state: named, at: zipAt - 1 }
  const fromZip = stateOfZip(zip)
  return fromZip ? { state: fromZip, at: zipAt } : { at: zipAt }
}

/** The address in a text, or undefined when it has no street line, city, state (or US zip code) and zip. */
export function parseAddress(text: string): Partial<RetailAddress> | undefined {
  const start = /\b\d+\s+[A-Za-z]/.exec(text)
  if (!start) return undefined
  const parts = text.slice(start.index).split(/\s*[,\n]\s*/).map((p) => p.trim().replace(/[.!?]+$/, '')).filter((p) => p !== '')
  const zipAt = parts.findIndex((p, i) => i > 0 && /\b\d{5}\b/.test(p))
  if (zipAt < 0) return undefined
  const zip = /\b(\d{5})\b/.exec(parts[zipAt] ?? '')?.[1] ?? ''
  const { state, at: stateAt } = stateOf(parts, zipAt, zip)
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
  else if (isUsState(state)) address.country = 'USA'
  return address
}

/** Whether every field the tools need is there (address2 may be empty). */
export const isComplete = (a: Partial<RetailAddress>): a is RetailAddress =>
  Boolean(a.address1 && a.city && a.state && a.zip && a.country) && a.address2 !== undefined

/** The address fields in the order the tools and the AgentPolicy's summary name them. */
export const addressArgs = (a: RetailAddress): Record<string, string> =>
  ({ address1: a.address1, address2: a.address2, city: a.city, state: a.state, country: a.country, zip: a.zip })
