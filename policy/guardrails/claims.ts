// Factual claims in a reply, found by rules: money, percentages, dates and delivery promises, durations
// (refund timing), order ids, other identifiers (item ids, tracking numbers, card endings), order
// statuses, availability and offers (discounts, coupons, free shipping). Pure text work.

export type ClaimKind =
  | 'money' | 'percent' | 'date' | 'relative_date' | 'duration' | 'order_id' | 'identifier' | 'status' | 'availability' | 'offer'

export interface Claim {
  kind: ClaimKind
  /** The words of the reply that make the claim. */
  text: string
  /** Normalised value: cents for money, lower-case words otherwise. */
  value: string
  /** The order the claim's sentence names, if exactly one. */
  orderId?: string
  /** An amount used as a bound ("under $300"): the customer's own budget may ground it. */
  bound?: boolean
  /** A duration said of a refund, delivery or other process: the context must say it of one too. */
  timing?: boolean
}

export const ORDER_STATUSES = [
  'pending (item modified)', 'pending (items modified)', 'return requested', 'exchange requested', 'pending', 'processed',
  'delivered', 'cancelled', 'canceled', 'shipped', 'in transit', 'out for delivery', 'refunded', 'returned', 'on hold', 'lost',
]
const STATUS = `(${ORDER_STATUSES.map((s) => s.replace(/[()]/g, '\\$&')).join('|')})`
const Q = `["'“‘*]*`
const ORDER_ID = /#?\bW\d{7}\b/g
const MONEY = /(?:\$|usd ?)\s?(\d{1,3}(?:,\d{3})+|\d+)(\.\d{1,2})?\b|\b(\d+(?:\.\d{1,2})?) (?:dollars|usd)\b/gi
const PERCENT = /\b\d+(?:\.\d+)?\s?(?:%|percent\b)/gi
const MONTH = '(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)'
const DATES = [/\b(\d{4})-(\d{2})-(\d{2})\b/g, new RegExp(`\\b${MONTH}\\.? (\\d{1,2})(?:st|nd|rd|th)?(?:,? (\\d{4}))?\\b`, 'gi'), /\b(\d{1,2})\/(\d{1,2})\/(\d{2,4})\b/g]
// Promises of a day; "today" alone is small talk ("how can I help you today?"), so it is not one.
const RELATIVE_DATE = /\b(?:tomorrow|(?:by|on|this|next|until) (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|weekend|week)|(?:by )?(?:the )?end of (?:the )?(?:day|week))\b/gi
const COUNT = '(?:\\d+|one|two|three|four|five|six|seven|eight|nine|ten|twelve|fourteen|thirty|a few|a couple of)'
const DURATION = new RegExp(`\\b${COUNT}(?:\\s*(?:to|-|–|or)\\s*${COUNT})?[ -](?:business |working |calendar )?(?:days?|weeks?|hours?|months?|years?)\\b|\\bimmediately\\b`, 'gi')
const IDENTIFIER = /(?<![\w$.,#-])\d{4,}(?![\w.,]\d)/g
// Only positive availability is a claim: saying an item is unavailable promises nothing.
const AVAILABILITY = /\b(?:is|are)\s+(?:currently |still |now )?(available|in stock)\b/gi
const OFFER = /\b(discount(?:ed)?|coupon|promo(?:tion(?:al)?)?(?: code)?|voucher|store credit|bereavement|price match(?:ing)?|free (?:shipping|delivery|returns?|upgrade|gift)|complimentary|waive[ds]?|compensation|loyalty points|cashback|rebate|goodwill credit)\b/gi
const NEGATION = /\b(?:not|no|unable|can't|cannot|can not|don't|doesn't|isn't|aren't|won't|never|unfortunately)\b/i
// Intentions and conditions ("let me check whether it is available") state nothing yet.
const HEDGE = /\b(?:ensure|check|whether|if|let me|might|may|could|would you)\b/i
// A request, refund or return "has been processed" speaks of that request, not of the order's status.
const NOT_ORDER_SUBJECT = /\b(?:request|refund|return|exchange|payment|modification|cancellation)s?\b/i
// Kinds a negated sentence does not claim ("I cannot expedite it to 3 days", "no discount applies").
const NEGATABLE = new Set<ClaimKind>(['duration', 'relative_date', 'offer'])
const STATUS_PATTERNS = [
  new RegExp(`\\border(?: #?w\\d{7})?(?: \\*\\*)?,? (?:is|was|has been|has|is now|are|have been)(?: currently| now| already| successfully| still)? (?:in |marked as |set to )?${Q}${STATUS}\\b`, 'gi'),
  new RegExp(`\\bstatus(?: of (?:your |the |this )?order(?: #?w\\d{7})?)? (?:is|was|has been changed to|has been updated to|is now|changed to|shows|shows as)(?: currently| now| still)?:? ${Q}${STATUS}\\b`, 'gi'),
  new RegExp(`\\b(?:in|is) ${Q}${STATUS}${Q} (?:status|state)\\b`, 'gi'),
  new RegExp(`\\b(?:your|the|this|that) ${STATUS} orders?\\b`, 'gi'),
  new RegExp(`#?w\\d{7}${Q} \\(${STATUS}\\)`, 'gi'),
]

/** Cents of a written amount ("$1,095.55" → 109555), as a string. */
export const centsOf = (written: string) => String(Math.round(Number(written.replace(/[^\d.]/g, '').replace(/^\.+|\.+$/g, '')) * 100))

/** The reply in sentences (lines and sentence ends), markdown emphasis removed. */
export function sentences(reply: string): string[] {
  return reply.replace(/\*\*/g, '').split(/(?<=[.!?]["'”’)]*)\s+(?=[A-Z0-9"'(])|\n+/).map((s) => s.trim()).filter((s) => s.length > 0)
}

function orderIn(sentence: string): string | undefined {
  const ids = [...new Set([...sentence.matchAll(ORDER_ID)].map((m) => `#${m[0].replace('#', '').toUpperCase()}`))]
  return ids.length === 1 ? ids[0] : undefined
}

function each(sentence: string, pattern: RegExp, make: (m: RegExpMatchArray) => Omit<Claim, 'orderId'> | undefined, orderId?: string): Claim[] {
  const out: Claim[] = []
  for (const m of sentence.matchAll(pattern)) {
    const claim = make(m)
    if (claim) out.push(orderId ? { ...claim, orderId } : claim)
  }
  return out
}

function dateValue(m: RegExpMatchArray, form: number): string {
  if (form === 0) return `${Number(m[2])}-${Number(m[3])}`
  if (form === 1) return `${monthNumber(m[1] ?? '')}-${Number(m[2])}`
  return `${Number(m[1])}-${Number(m[2])}`
}

/** "5-7 business days" → "5 to 7 business day", "4-hour" → "4 hour": a stem the context's wording contains. */
function durationValue(text: string): string {
  return text.toLowerCase().replace(/(\d)\s*(?:-|–)\s*(\d)/, '$1 to $2').replace(/(\d)-/, '$1 ').replace(/s$/, '')
}

export function monthNumber(name: string): number {
  return ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'].indexOf(name.slice(0, 3).toLowerCase()) + 1
}

export const TIMING_TOPIC = /\b(?:refund|deliver|arriv|ship|process|return|exchang|receiv|reach|credit|dispatch|expect)/i
const BOUND = /\b(?:under|less than|below|over|more than|above|up to|at most|at least|cheaper than|budget of)\s*$/i

function moneyClaim(s: string, m: RegExpMatchArray): Omit<Claim, 'orderId'> {
  const claim = { kind: 'money' as const, text: m[0], value: centsOf(m[0]) }
  return BOUND.test(s.slice(0, m.index ?? 0)) ? { ...claim, bound: true } : claim
}

/** A status claim, unless the status says where something went ("shipped to") or whose request it is. */
function statusClaim(s: string, m: RegExpMatchArray): Omit<Claim, 'orderId'> | undefined {
  const at = m.index ?? 0
  const clause = s.slice(0, at).split(/[,;:]/).pop() ?? ''
  if (/^\s+to\b/i.test(s.slice(at + m[0].length)) || NOT_ORDER_SUBJECT.test(clause)) return undefined
  return { kind: 'status', text: m[0], value: (m[1] ?? '').toLowerCase() }
}

/** Claims of one sentence. Offers in a negated sentence ("we can't offer a discount") claim nothing. */
function sentenceClaims(s: string): Claim[] {
  const orderId = orderIn(s)
  const negated = NEGATION.test(s)
  const withoutMoney = s.replace(MONEY, ' ').replace(ORDER_ID, ' ')
  return [
    ...each(s, MONEY, (m) => moneyClaim(s, m), orderId),
    ...each(s, PERCENT, (m) => ({ kind: 'percent', text: m[0], value: m[0].replace(/\s?percent/i, '%').replace(/\s/g, '') }), orderId),
    ...DATES.flatMap((p, form) => each(s, p, (m) => ({ kind: 'date', text: m[0], value: dateValue(m, form) }), orderId)),
    ...each(s, RELATIVE_DATE, (m) => ({ kind: 'relative_date', text: m[0], value: m[0].toLowerCase() }), orderId),
    ...each(s, DURATION, (m) => ({ kind: 'duration', text: m[0], value: durationValue(m[0]), ...(TIMING_TOPIC.test(s) ? { timing: true } : {}) }), orderId),
    ...each(s, ORDER_ID, (m) => ({ kind: 'order_id', text: m[0], value: `#${m[0].replace('#', '').toUpperCase()}` })),
    ...each(withoutMoney.replace(DATES[0]!, ' '), IDENTIFIER, (m) => ({ kind: 'identifier', text: m[0], value: m[0] }), orderId),
    ...STATUS_PATTERNS.flatMap((p) => each(s, p, (m) => statusClaim(s, m), orderId)),
    ...(HEDGE.test(s) ? [] : each(s, AVAILABILITY, (m) => ({ kind: 'availability', text: m[0], value: 'available' }), orderId)),
    ...each(s, OFFER, (m) => ({ kind: 'offer', text: m[0], value: m[1]!.toLowerCase() }), orderId),
  ].filter((c) => !(negated && NEGATABLE.has(c.kind)))
}

/**
 * Every factual claim in a reply, sentence by sentence.
 * @example extractClaims('Your order #W2378156 is delivered.') // order_id #W2378156, status 'delivered'
 */
export function extractClaims(reply: string): Claim[] {
  const seen = new Set<string>()
  return sentences(reply).flatMap(sentenceClaims).filter((c) => {
    const key = `${c.kind}|${c.value}|${c.orderId ?? ''}`
    return seen.has(key) ? false : (seen.add(key), true)
  })
}
