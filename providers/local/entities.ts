// Entity extraction for the retail demo domain (τ²-bench ids and formats). Pure regex and context
// rules over one text; never consults the database, so it cannot leak another customer's data.

export type CancelReason = 'no longer needed' | 'ordered by mistake'

/** A payment method named by its kind ("my PayPal", "the gift card") rather than its id. */
export type PaymentKind = 'paypal' | 'gift_card' | 'credit_card'

export interface RetailEntities {
  /** Normalised with the leading '#', e.g. `#W2378156`. */
  orderIds: string[]
  emails: string[]
  name?: { firstName: string; lastName: string }
  zip?: string
  userIds: string[]
  itemIds: string[]
  productIds: string[]
  paymentMethodIds: string[]
  /** Payment methods named by kind, latest first; a card may come with its last four digits. */
  paymentKinds: PaymentKind[]
  lastFour?: string
  /** true for yes/confirm, false for no/stop, absent when the text says neither. */
  affirmative?: boolean
  cancelReason?: CancelReason
  /** The customer said "all items" / "everything". */
  allItems: boolean
}

const unique = (xs: string[]): string[] => [...new Set(xs)]
const all = (text: string, re: RegExp): string[] => [...text.matchAll(re)].map((m) => m[0])
const capitalise = (w: string): string => w.charAt(0).toUpperCase() + w.slice(1).toLowerCase()

// Two capitalised words are a name only when they are not one of these (sentence openers, products).
const notNames = new Set('hi hello hey dear thanks thank my the i order please yes no ok okay can could would'.split(' '))

function extractName(text: string): RetailEntities['name'] {
  // "my name is" is explicit enough for lower case; "I am"/"this is" need capitals ("I am looking for").
  const pair = /\bmy name is\s+([a-z][a-z'-]+)\s+([a-z][a-z'-]+)/i.exec(text)
    ?? /\b(?:[Tt]his is|I am|I'm)\s+([A-Z][a-z'-]+)\s+([A-Z][a-z'-]+)/.exec(text)
    // "Yusuf Rossi, 19122" opening a message; elsewhere two capitalised words before a zip are a city ("New York, 10001").
    ?? /(?:^|[.!?]\s+)(?:(?:[Hh]i|[Hh]ello|[Hh]ey)\b[,!.]?\s*)?([A-Z][a-z'-]+)\s+([A-Z][a-z'-]+)\b,?\s*(?:(?:and )?(?:my )?zip(?: code)?(?: is)?:?\s*)?\d{5}\b/.exec(text)
  const [first, last] = [pair?.[1], pair?.[2]]
  if (!first || !last || notNames.has(first.toLowerCase()) || notNames.has(last.toLowerCase())) return undefined
  if (/^(and|from|at|in|with|zip|here|calling)$/i.test(last)) return undefined
  return { firstName: capitalise(first), lastName: capitalise(last) }
}

// Product and item ids share a 10-digit format; the word before the number decides, defaulting to
// item because customers quote item ids from their orders far more often.
function splitTenDigitIds(text: string): { itemIds: string[]; productIds: string[] } {
  const itemIds: string[] = []
  const productIds: string[] = []
  for (const m of text.matchAll(/(?<![\d#])\d{10}(?!\d)/g)) {
    const before = text.slice(Math.max(0, (m.index ?? 0) - 24), m.index).toLowerCase()
    ;(/product(\s+id)?\s*(is|:|#|number)?\s*$/.test(before) ? productIds : itemIds).push(m[0])
  }
  return { itemIds: unique(itemIds), productIds: unique(productIds) }
}

function extractAffirmative(text: string): boolean | undefined {
  const t = text.toLowerCase()
  if (/\b(no|nope|don't|do not|stop|wait|not yet)\b/.test(t) && !/\bno longer\b/.test(t)) return false
  // "I regret and want to keep it": the customer takes the request back.
  if (/\b(regret|want to keep it|rather keep it)\b/.test(t)) return false
  if (/\b(yes|yeah|yep|sure|confirm(ed)?|go ahead|proceed|please do|that's right|correct)\b/.test(t)) return true
  return undefined
}

function extractPaymentKinds(text: string): PaymentKind[] {
  const t = text.toLowerCase().replace(/\b(?:credit_card|gift_card|paypal)_\d+\b/g, '')
  const found: [number, PaymentKind][] = []
  for (const [re, kind] of [[/\bpay ?pal\b/g, 'paypal'], [/\bgift ?cards?\b|\bgc\b/g, 'gift_card'], [/\b(?:credit|debit) ?cards?\b|\b(?:visa|mastercard|amex)\b|\bcard ending\b/g, 'credit_card']] as const) {
    for (const m of t.matchAll(re)) found.push([m.index ?? 0, kind])
  }
  return [...new Set(found.sort((a, b) => a[0] - b[0]).map(([, k]) => k))]
}

function extractCancelReason(text: string): CancelReason | undefined {
  const t = text.toLowerCase()
  if (/\b(by mistake|mistaken|accident(al(ly)?)?|wrong (order|item))\b/.test(t)) return 'ordered by mistake'
  if (/\b(no longer need(ed)?|don't need|do not need|not needed|changed my mind)\b/.test(t)) return 'no longer needed'
  return undefined
}

/** Extracts every retail entity the local provider acts on from one customer message. */
export function extractEntities(text: string): RetailEntities {
  const emails = unique(all(text, /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g).map((e) => e.toLowerCase()))
  const orderIds = unique(all(text, /(?:#\s?)?\bW\d{7}\b/gi).map((o) => `#W${o.replace(/\D/g, '')}`))
  const zip = /(?<![\d#W])\b\d{5}\b(?!\d)/.exec(text.replace(/\bW\d{7}\b/gi, ''))?.[0]
  const entities: RetailEntities = {
    orderIds,
    emails,
    userIds: unique(all(text, /\b[a-z]+_[a-z]+_\d{4}\b/g)),
    paymentMethodIds: unique(all(text, /\b(?:credit_card|gift_card|paypal)_\d+\b/g)),
    paymentKinds: extractPaymentKinds(text),
    // "everything that is not for gaming" is a condition, not a list: it names nothing by itself.
    allItems: /\b(all(?: the| of the| of my| my)? (?:items|things)|everything|whole order|all of them|all (?:possible |of my |my )?orders)\b(?!\s+(?:not|that|which|associated|related|but))/i.test(text),
    ...splitTenDigitIds(text),
  }
  const name = extractName(text)
  if (name) entities.name = name
  if (zip) entities.zip = zip
  const affirmative = extractAffirmative(text)
  if (affirmative !== undefined) entities.affirmative = affirmative
  const lastFour = /\b(?:ending(?: in| with)?|last (?:four|4)(?: digits)?(?: are| is)?)\s*:?\s*(\d{4})\b/i.exec(text)?.[1]
  if (lastFour) entities.lastFour = lastFour
  const cancelReason = extractCancelReason(text)
  if (cancelReason) entities.cancelReason = cancelReason
  return entities
}
